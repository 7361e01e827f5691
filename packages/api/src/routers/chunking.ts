import { z } from 'zod';
import { previewInputSchema, previewOutputSchema, strategiesOutputSchema } from '../schemas/chunking.ts';
import { authedProcedure, publicProcedure, router } from '../trpc.ts';

export const chunkingRouter = router({
  strategies: publicProcedure
    .meta({ openapi: { method: 'GET', path: '/chunking/strategies', tags: ['chunking'], protect: false } })
    .input(z.object({}))
    .output(strategiesOutputSchema)
    .query(({ ctx }) => ctx.services.chunking.strategies()),

  preview: authedProcedure
    .meta({ openapi: { method: 'POST', path: '/chunking/preview', tags: ['chunking'] } })
    .input(previewInputSchema)
    .output(previewOutputSchema)
    .mutation(({ ctx, input }) => ctx.services.chunking.preview(ctx.tenant, input)),
});
