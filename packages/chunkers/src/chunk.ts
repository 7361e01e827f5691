import { type NormalizedConfig, normalizeConfig } from './config.ts';
import { OutputBudget } from './output-budget.ts';
import { mergeSmallSpans } from './retrieval/min-size.ts';
import { segmentEnd } from './segments.ts';
import { createSizer } from './sizing/index.ts';
import { type ChunkingConfig, levelSizesOf, strategyRegistry } from './strategies/index.ts';
import type {
  CarriedState,
  ChunkAsyncOptions,
  ChunkingStrategy,
  ChunkOptions,
  Sizer,
  Span,
  StrategyContext,
  StrategyResolver,
} from './strategy.ts';
import type { Chunk } from './types.ts';

/** A validated config with its strategy, ready to chunk the segments of one document. */
export interface ChunkingPlan {
  config: ChunkingConfig;
  strategy: ChunkingStrategy<ChunkingConfig>;
  carry: CarriedState;
  /** One document's: plans are made per document. */
  budget: OutputBudget;
}

function strategyOf(config: ChunkingConfig) {
  return strategyRegistry[config.strategy] as ChunkingStrategy<ChunkingConfig>;
}

/**
 * Handed to strategies in their context, so one that runs another (hybrid) needs no registry
 * import. What it resolves is a config the strategy derived, so it is normalised here.
 */
const strategies: StrategyResolver = {
  resolve(input) {
    const config = normalizeConfig(input);
    return { config, strategy: strategyOf(config) };
  },
};

export function planChunking(config: NormalizedConfig): ChunkingPlan {
  return {
    config,
    strategy: strategyOf(config),
    carry: {},
    budget: new OutputBudget(levelSizesOf(config).length),
  };
}

/**
 * tokenCount: sized in tokens, the sizer already knows every span's exact count, so it is a plain
 * number. Sized in chars, counting would cost a full BPE encode that pure character chunking
 * never needs, so it is an exact count computed on first read (an own enumerable getter: JSON,
 * structuredClone and spreading all see a number) and remembered.
 */
function toChunk(
  segment: string,
  offset: number,
  span: Span,
  index: number,
  firstIndex: number,
  sizer: Sizer,
): Chunk {
  const { start, end } = span;
  const content = segment.slice(start, end);
  const metadata =
    span.metadata === undefined
      ? {}
      : typeof span.metadata.parentIndex === 'number' && firstIndex > 0
        ? { ...span.metadata, parentIndex: span.metadata.parentIndex + firstIndex }
        : span.metadata;
  const startOffset = start + offset;
  const endOffset = end + offset;
  if (sizer.unit === 'tokens') {
    const tokenCount = sizer.tokenCount(start, end);
    return { index, content, startOffset, endOffset, charCount: content.length, tokenCount, metadata };
  }
  let tokenCount: number | undefined;
  return {
    index,
    content,
    startOffset,
    endOffset,
    charCount: content.length,
    get tokenCount(): number {
      tokenCount ??= sizer.tokenCount(start, end);
      return tokenCount;
    },
    metadata,
  };
}

function toChunks(segment: string, offset: number, spans: Span[], firstIndex: number, sizer: Sizer): Chunk[] {
  const chunks = new Array<Chunk>(spans.length);
  for (let i = 0; i < spans.length; i++) {
    chunks[i] = toChunk(segment, offset, spans[i] as Span, firstIndex + i, firstIndex, sizer);
  }
  return chunks;
}

function contextFor(
  segment: string,
  offset: number,
  plan: ChunkingPlan,
  options?: ChunkAsyncOptions,
): StrategyContext<ChunkingConfig> {
  const sizer = createSizer(segment, plan.config);
  const context: StrategyContext<ChunkingConfig> = {
    text: segment,
    config: plan.config,
    sizer,
    carry: plan.carry,
    meter: plan.budget.meter(offset + segment.length, options?.signal),
    strategies,
  };
  if (options !== undefined) context.options = options;
  return context;
}

/** Chunks one segment that starts at `offset` in the document; indexes continue from `firstIndex`. */
export function chunkSegment(
  plan: ChunkingPlan,
  segment: string,
  offset: number,
  firstIndex: number,
  options?: ChunkOptions,
): Chunk[] {
  options?.signal?.throwIfAborted();
  const context = contextFor(segment, offset, plan, options);
  const spans = mergeSmallSpans(plan.strategy.split(context), context.sizer, plan.config);
  return toChunks(segment, offset, spans, firstIndex, context.sizer);
}

export async function chunkSegmentAsync(
  plan: ChunkingPlan,
  segment: string,
  offset: number,
  firstIndex: number,
  options?: ChunkAsyncOptions,
): Promise<Chunk[]> {
  options?.signal?.throwIfAborted();
  const context = contextFor(segment, offset, plan, options);
  const spans = mergeSmallSpans(
    plan.strategy.splitAsync ? await plan.strategy.splitAsync(context) : plan.strategy.split(context),
    context.sizer,
    plan.config,
  );
  return toChunks(segment, offset, spans, firstIndex, context.sizer);
}

/**
 * Chunks `text` with the strategy and config given (validated and normalised first). An aborted
 * `options.signal` stops the run between segments and every few hundred chunks.
 */
export function chunk(text: string, config: unknown, options?: ChunkOptions): Chunk[] {
  const plan = planChunking(normalizeConfig(config));
  const chunks: Chunk[] = [];
  for (let from = 0; from < text.length; ) {
    const to = segmentEnd(text, from);
    if (from === 0 && to === text.length) return chunkSegment(plan, text, 0, 0, options);
    for (const item of chunkSegment(plan, text.slice(from, to), from, chunks.length, options))
      chunks.push(item);
    from = to;
  }
  return chunks;
}

/** Like `chunk`, for strategies that may call out (an HTTP embedder); honours `options.signal`. */
export async function chunkAsync(
  text: string,
  config: unknown,
  options?: ChunkAsyncOptions,
): Promise<Chunk[]> {
  return chunkNormalizedAsync(text, normalizeConfig(config), options);
}

/**
 * `chunkAsync` for a config normalised already (by `normalizeConfig`, where it entered the
 * caller's process): run as it is, without validating it again.
 */
export async function chunkNormalizedAsync(
  text: string,
  config: NormalizedConfig,
  options?: ChunkAsyncOptions,
): Promise<Chunk[]> {
  const plan = planChunking(config);
  const chunks: Chunk[] = [];
  for (let from = 0; from < text.length; ) {
    const to = segmentEnd(text, from);
    const segment = from === 0 && to === text.length ? text : text.slice(from, to);
    for (const item of await chunkSegmentAsync(plan, segment, from, chunks.length, options))
      chunks.push(item);
    from = to;
  }
  options?.signal?.throwIfAborted();
  return chunks;
}
