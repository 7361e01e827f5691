import {
  deletePreviewOutputSchema,
  previewByHashInputSchema,
  previewIdInputSchema,
  previewInputSchema,
  previewOutputSchema,
} from '../../schemas/chunking.ts';
import { authedProcedure } from '../../trpc.ts';

/** Each preview procedure up to its output: shared with its served form (see served.ts). */
export const previewCalls = {
  preview: authedProcedure
    .meta({
      openapi: { method: 'POST', path: '/chunking/preview', tags: ['chunking'] },
      rateLimit: 'preview',
    })
    .input(previewInputSchema),
  getPreview: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/chunking/preview/{previewId}', tags: ['chunking'] } })
    .input(previewIdInputSchema),
  previewByHash: authedProcedure
    .meta({
      openapi: { method: 'POST', path: '/chunking/preview/by-hash', tags: ['chunking'] },
      rateLimit: 'preview',
    })
    .input(previewByHashInputSchema),
};

export const previewProcedures = {
  preview: previewCalls.preview
    .output(previewOutputSchema)
    .mutation(({ ctx, input }) => ctx.services.chunking.preview(ctx.tenant, input, ctx.signal)),

  getPreview: previewCalls.getPreview
    .output(previewOutputSchema)
    .query(({ ctx, input }) => ctx.services.chunking.getPreview(ctx.tenant, input)),

  previewByHash: previewCalls.previewByHash
    .output(previewOutputSchema)
    .mutation(({ ctx, input }) => ctx.services.chunking.previewByHash(ctx.tenant, input)),

  deletePreview: authedProcedure
    .meta({ openapi: { method: 'DELETE', path: '/chunking/preview/{previewId}', tags: ['chunking'] } })
    .input(previewIdInputSchema)
    .output(deletePreviewOutputSchema)
    .mutation(({ ctx, input }) => ctx.services.chunking.deletePreview(ctx.tenant, input.previewId)),
};
