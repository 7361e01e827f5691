import type {
  ComputedPreview,
  PreviewByHashInput,
  PreviewEntry,
  PreviewInput,
} from '@chunkflow/core-services';
import type { AuthedContext } from '../context.ts';
import { previewOutputSchema } from '../schemas/chunking.ts';
import { PreparedAnswer } from './prepared-answer.ts';
import { ServedAnswer } from './served-answer.ts';

type PreviewHole = 'cached' | 'correlationId';
const HOLES: readonly PreviewHole[] = ['cached', 'correlationId'];

/** Distinct chunk counts prepared per preview; more (callers varying `maxChunks`) start over. */
const MAX_COUNTS_PER_PREVIEW = 4;

/**
 * Each preview's prepared answers, by the number of chunks they show. Keyed by the cached value
 * itself: the preview cache hands out the same object on every hit in this process while it keeps
 * it, and when it lets the value go its answers go with it.
 */
const prepared = new WeakMap<ComputedPreview, Map<number, PreparedAnswer<PreviewHole>>>();

type PreviewContext = AuthedContext & { signal?: AbortSignal | undefined };

/** A preview's answer for this request: validated and serialised once per preview and chunk count. */
function previewAnswer(
  ctx: PreviewContext,
  { preview, cached }: PreviewEntry,
  maxChunks: number | undefined,
): ServedAnswer<PreviewHole> {
  const { chunking } = ctx.services;
  const shown = chunking.chunksShown(preview, maxChunks);
  let byCount = prepared.get(preview);
  if (!byCount || (byCount.size >= MAX_COUNTS_PER_PREVIEW && !byCount.has(shown))) {
    byCount = new Map();
    prepared.set(preview, byCount);
  }
  let answer = byCount.get(shown);
  if (!answer) {
    answer = PreparedAnswer.of(previewOutputSchema, chunking.present(preview, cached, shown), HOLES);
    byCount.set(shown, answer);
  }
  return new ServedAnswer(answer, { cached, correlationId: ctx.correlationId });
}

/**
 * The served forms of the preview procedures (what the transport writes without re-encoding):
 * the same service calls as the procedures', then the preview's prepared answer.
 */
export const previewAnswers = {
  preview: async (ctx: PreviewContext, input: PreviewInput) =>
    previewAnswer(
      ctx,
      await ctx.services.chunking.previewEntry(ctx.tenant, input, ctx.signal),
      input.maxChunks,
    ),
  getPreview: async (ctx: PreviewContext, input: { previewId: string; maxChunks?: number | undefined }) =>
    previewAnswer(
      ctx,
      { preview: await ctx.services.chunking.storedPreview(ctx.tenant, input.previewId), cached: true },
      input.maxChunks,
    ),
  previewByHash: async (ctx: PreviewContext, input: PreviewByHashInput) =>
    previewAnswer(
      ctx,
      { preview: await ctx.services.chunking.storedPreviewByHash(ctx.tenant, input), cached: true },
      input.maxChunks,
    ),
};
