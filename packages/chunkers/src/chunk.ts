import { InvalidConfigError } from '@chunkflow/errors';
import { type ChunkingConfig, normalizeConfig } from './config.ts';
import { createSizer } from './sizing/index.ts';
import { strategyRegistry } from './strategies/index.ts';
import type { ChunkAsyncOptions, ChunkingStrategy, Sizer, Span, StrategyContext } from './strategy.ts';
import type { Chunk } from './types.ts';

function strategyFor(config: ChunkingConfig): ChunkingStrategy<ChunkingConfig> {
  const strategy = strategyRegistry[config.strategy] as ChunkingStrategy<ChunkingConfig> | undefined;
  if (strategy === undefined) {
    throw new InvalidConfigError(`The ${config.strategy} strategy is not available`, 'strategy');
  }
  return strategy;
}

/**
 * tokenCount: sized in tokens, the sizer already knows every span's exact count, so it is a plain
 * number. Sized in chars, counting would cost a full BPE encode that pure character chunking
 * never needs, so it is an exact count computed on first read (an own enumerable getter: JSON,
 * structuredClone and spreading all see a number) and remembered.
 */
function toChunk(text: string, span: Span, index: number, sizer: Sizer): Chunk {
  const { start, end } = span;
  const content = text.slice(start, end);
  const metadata = span.metadata ?? {};
  if (sizer.unit === 'tokens') {
    const tokenCount = sizer.tokenCount(start, end);
    return {
      index,
      content,
      startOffset: start,
      endOffset: end,
      charCount: content.length,
      tokenCount,
      metadata,
    };
  }
  let tokenCount: number | undefined;
  return {
    index,
    content,
    startOffset: start,
    endOffset: end,
    charCount: content.length,
    get tokenCount(): number {
      tokenCount ??= sizer.tokenCount(start, end);
      return tokenCount;
    },
    metadata,
  };
}

function toChunks(text: string, spans: Span[], sizer: Sizer): Chunk[] {
  const chunks = new Array<Chunk>(spans.length);
  for (let i = 0; i < spans.length; i++) chunks[i] = toChunk(text, spans[i] as Span, i, sizer);
  return chunks;
}

function contextFor(
  text: string,
  config: ChunkingConfig,
  options?: ChunkAsyncOptions,
): StrategyContext<ChunkingConfig> {
  const sizer = createSizer(text, config);
  return options === undefined ? { text, config, sizer } : { text, config, sizer, options };
}

/** Chunks `text` with the strategy and config given (validated and normalised first). */
export function chunk(text: string, config: unknown): Chunk[] {
  const normalized = normalizeConfig(config);
  const strategy = strategyFor(normalized);
  const context = contextFor(text, normalized);
  return toChunks(text, strategy.split(context), context.sizer);
}

/** Like `chunk`, for strategies that may call out (an HTTP embedder); honours `options.signal`. */
export async function chunkAsync(
  text: string,
  config: unknown,
  options?: ChunkAsyncOptions,
): Promise<Chunk[]> {
  const normalized = normalizeConfig(config);
  const strategy = strategyFor(normalized);
  options?.signal?.throwIfAborted();
  const context = contextFor(text, normalized, options);
  const spans = strategy.splitAsync ? await strategy.splitAsync(context) : strategy.split(context);
  options?.signal?.throwIfAborted();
  return toChunks(text, spans, context.sizer);
}
