import { z } from 'zod';
import {
  compareInputSchema,
  compareOutputSchema,
  recommendInputSchema,
  recommendOutputSchema,
  strategiesOutputSchema,
} from '../../schemas/chunking.ts';
import { authedProcedure, publicProcedure } from '../../trpc.ts';

/** The catalogue up to its output: shared with its served form (see served.ts). */
export const strategiesCall = publicProcedure
  .meta({ openapi: { method: 'GET', path: '/chunking/strategies', tags: ['chunking'], protect: false } })
  .input(z.object({}));

/** Which strategy to use: the catalogue, a recommendation from content, a side-by-side comparison. */
export const catalogProcedures = {
  strategies: strategiesCall
    .output(strategiesOutputSchema)
    .query(({ ctx }) => ctx.services.chunking.strategies()),

  recommend: authedProcedure
    .meta({ openapi: { method: 'POST', path: '/chunking/recommend', tags: ['chunking'] } })
    .input(recommendInputSchema)
    .output(recommendOutputSchema)
    .mutation(({ ctx, input }) => ctx.services.chunking.recommend(input, ctx.signal)),

  compare: authedProcedure
    .meta({
      openapi: { method: 'POST', path: '/chunking/compare', tags: ['chunking'] },
      rateLimit: 'compare',
    })
    .input(compareInputSchema)
    .output(compareOutputSchema)
    .mutation(({ ctx, input }) => ctx.services.chunking.compare(ctx.tenant, input, ctx.signal)),
};
