import { InvalidConfigError } from '@chunkflow/errors';
import { z } from 'zod';
import { type Embedder, isSyncEmbedder } from '../embedders/embedder.ts';
import { createEmbedder, type EmbedderSpec, embedderSpecSchema } from '../embedders/spec.ts';
import { SeparatorBoundaries, SortedBoundaries } from '../engine/boundaries.ts';
import { packRange } from '../engine/pack.ts';
import type { CommonConfig, Span, StrategyContext, StrategyDefinition } from '../strategy.ts';
import { gapSimilarities, planWindows, type SemanticPlan, topicCuts } from './semantic-boundaries.ts';
import { sentenceStarts } from './sentence.ts';

export interface SemanticConfig extends CommonConfig {
  strategy: 'semantic';
  similarityThreshold: number;
  embedder: EmbedderSpec;
}

const DEFAULT_SIMILARITY_THRESHOLD = 0.5;

const options = {
  similarityThreshold: z.number().min(-1).max(1).optional().describe('semantic: cut below this cosine'),
  embedder: embedderSpecSchema.optional().describe('semantic'),
};

/** Sentence starts, with whitespace-only "sentences" (a lone line break) joined to the one before. */
function planFor(text: string): SemanticPlan {
  if (text.length === 0) return planWindows([]);
  const all = [0, ...sentenceStarts(text)];
  const hasContent = (i: number) => /\S/.test(text.slice(all[i], all[i + 1] ?? text.length));
  return planWindows(all.filter((_, i) => i === 0 || hasContent(i)));
}

/**
 * Topic groups (runs of sentences between the cuts `topicCuts` picks), each
 * packed to the size: a group that fits is one chunk; a larger one is cut at sentences, with
 * sentence-level overlap inside the group. Groups never overlap each other.
 */
function spansFrom(
  { text, config, sizer, meter }: StrategyContext<SemanticConfig>,
  plan: SemanticPlan,
  similarities: Float64Array,
  embedderId: string,
): Span[] {
  const cutGaps = [0, ...topicCuts(similarities, config.similarityThreshold)];
  const sentences = new SortedBoundaries(Int32Array.from(plan.starts));
  const lines = new SeparatorBoundaries(text, '\n');
  const words = new SeparatorBoundaries(text, ' ');
  const spans: Span[] = [];
  cutGaps.forEach((gap, k) => {
    const from = plan.starts[gap] as number;
    const to = plan.starts[cutGaps[k + 1] ?? plan.starts.length] ?? text.length;
    const pieces = packRange(text, sizer, from, to, {
      chunkSize: config.chunkSize,
      chunkOverlap: config.chunkOverlap,
      levels: [sentences, lines, words],
      overlapLevels: 1,
      trim: true,
      meter,
    });
    pieces.forEach((piece, i) => {
      // The similarity that opened this topic group; null inside a group cut for size, and first.
      const similarity = i === 0 && gap > 0 ? (similarities[gap] as number) : null;
      spans.push({ ...piece, metadata: { embedder: embedderId, boundarySimilarity: similarity } });
    });
  });
  return spans;
}

function syncEmbedderFor(config: SemanticConfig) {
  const embedder = createEmbedder(config.embedder);
  if (!isSyncEmbedder(embedder)) {
    throw new InvalidConfigError(
      `The "${config.embedder.provider}" embedder answers over the network: use chunkAsync`,
      'embedder',
    );
  }
  return embedder;
}

/**
 * `semantic`: sentence windows are embedded and the text is cut where the cosine similarity of
 * the windows on either side of a sentence gap drops below `similarityThreshold` (at the lowest
 * point of each dip); topic groups
 * larger than the size are packed by sentences, so no chunk exceeds it. The synchronous split
 * needs a local embedder (the default hashing one); `chunkAsync` takes any, including HTTP.
 */
export const semanticStrategy: StrategyDefinition<SemanticConfig, typeof options, never> = {
  name: 'semantic',
  aliases: [],
  description:
    'Cuts where the embedding similarity of neighbouring sentence windows drops below similarityThreshold.',
  bestFor: ['long prose with topic shifts', 'transcripts', 'articles'],
  options,
  normalize: ({ similarityThreshold, embedder }) => ({
    similarityThreshold: similarityThreshold ?? DEFAULT_SIMILARITY_THRESHOLD,
    embedder: embedder ?? { provider: 'hashing' },
  }),
  split(context) {
    const embedder = syncEmbedderFor(context.config);
    const plan = planFor(context.text);
    const signal = context.options?.signal;
    const steps = gapSimilarities(context.text, plan);
    for (let step = steps.next(); ; ) {
      if (step.done) return spansFrom(context, plan, step.value, embedder.id);
      signal?.throwIfAborted();
      step = steps.next(checked(embedder, step.value, embedder.embedSync(step.value)));
    }
  },
  async splitAsync(context) {
    const embedder: Embedder = context.options?.embedder ?? createEmbedder(context.config.embedder);
    const plan = planFor(context.text);
    const signal = context.options?.signal;
    const steps = gapSimilarities(context.text, plan);
    for (let step = steps.next(); ; ) {
      if (step.done) return spansFrom(context, plan, step.value, embedder.id);
      signal?.throwIfAborted();
      const vectors = await embedder.embed(step.value, signal ? { signal } : {});
      step = steps.next(checked(embedder, step.value, vectors));
    }
  },
};

function checked(embedder: Embedder, texts: readonly string[], vectors: Float32Array[]): Float32Array[] {
  if (vectors.length !== texts.length) {
    throw new RangeError(
      `Embedder ${embedder.id} returned ${vectors.length} vectors for ${texts.length} texts`,
    );
  }
  return vectors;
}
