import { catalogAnswers } from '../../answers/catalog-answers.ts';
import { previewAnswers } from '../../answers/preview-answers.ts';
import { router } from '../../trpc.ts';
import { strategiesCall } from './catalog.ts';
import { previewCalls } from './previews.ts';

/**
 * The served forms of the cacheable procedures: the same procedures (meta, middleware, input)
 * answering their prepared wire text instead of a value for tRPC to validate and serialise again.
 * The transport calls them for single calls (batches take the ordinary path); not part of
 * AppRouter, so clients and the OpenAPI document see only the procedures they mirror.
 */
export const servedRouter = router({
  chunking: router({
    strategies: strategiesCall.query(({ ctx }) => catalogAnswers.strategies(ctx)),
    preview: previewCalls.preview.mutation(({ ctx, input }) => previewAnswers.preview(ctx, input)),
    getPreview: previewCalls.getPreview.query(({ ctx, input }) => previewAnswers.getPreview(ctx, input)),
    previewByHash: previewCalls.previewByHash.mutation(({ ctx, input }) =>
      previewAnswers.previewByHash(ctx, input),
    ),
  }),
});
