import {
  deletePreviewOutputSchema,
  previewIdInputSchema,
  previewInputSchema,
  previewOutputSchema,
} from '../../schemas/chunking.ts';
import { authedProcedure } from '../../trpc.ts';

export const previewProcedures = {
  preview: authedProcedure
    .meta({
      openapi: { method: 'POST', path: '/chunking/preview', tags: ['chunking'] },
      rateLimit: 'preview',
    })
    .input(previewInputSchema)
    .output(previewOutputSchema)
    .mutation(({ ctx, input }) => ctx.services.chunking.preview(ctx.tenant, input, ctx.signal)),

  getPreview: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/chunking/preview/{previewId}', tags: ['chunking'] } })
    .input(previewIdInputSchema)
    .output(previewOutputSchema)
    .query(({ ctx, input }) => ctx.services.chunking.getPreview(ctx.tenant, input)),

  deletePreview: authedProcedure
    .meta({ openapi: { method: 'DELETE', path: '/chunking/preview/{previewId}', tags: ['chunking'] } })
    .input(previewIdInputSchema)
    .output(deletePreviewOutputSchema)
    .mutation(({ ctx, input }) => ctx.services.chunking.deletePreview(ctx.tenant, input.previewId)),
};
