import { catalogAnswers } from '../../answers/catalog-answers.ts';
import { previewAnswers } from '../../answers/preview-answers.ts';
import { type ServedCall, servedCall } from '../../answers/served-call.ts';
import { strategiesCall } from './catalog.ts';
import { previewCalls } from './previews.ts';

/**
 * The served forms of the cacheable procedures, by tRPC path: the same procedures (meta,
 * middleware, input) answering their prepared wire text instead of a value for tRPC to validate
 * and serialise again. The transport runs them for single calls (batches take the ordinary path);
 * not part of AppRouter, so clients and the OpenAPI document see only the procedures they mirror.
 * Only a preview by content can compute, so only it is given a deadline.
 */
export const servedCalls: ReadonlyMap<string, ServedCall> = new Map([
  ['chunking.strategies', servedCall(strategiesCall, 'query', (ctx) => catalogAnswers.strategies(ctx))],
  [
    'chunking.preview',
    servedCall(previewCalls.preview, 'mutation', (ctx, input) => previewAnswers.preview(ctx, input), {
      deadline: true,
    }),
  ],
  [
    'chunking.getPreview',
    servedCall(previewCalls.getPreview, 'query', (ctx, input) => previewAnswers.getPreview(ctx, input)),
  ],
  [
    'chunking.previewByHash',
    servedCall(previewCalls.previewByHash, 'mutation', (ctx, input) =>
      previewAnswers.previewByHash(ctx, input),
    ),
  ],
]);
