import {
  applyInputSchema,
  applyOutputSchema,
  statisticsInputSchema,
  statisticsOutputSchema,
} from '../../schemas/operations.ts';
import { authedProcedure } from '../../trpc.ts';

/**
 * Background work on a collection. REST `POST /chunking/apply` (202) is served by apps/server: tRPC
 * reserves `apply` for Function.prototype.apply in its callers, which the REST adapter goes through.
 */
export const operationProcedures = {
  apply: authedProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/chunking/apply',
        tags: ['chunking'],
        successDescription: 'Accepted',
      },
      rateLimit: 'apply',
    })
    .input(applyInputSchema)
    .output(applyOutputSchema)
    .mutation(({ ctx, input }) => ctx.services.operations.apply(ctx.tenant, input)),

  statistics: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/chunking/statistics', tags: ['chunking'] } })
    .input(statisticsInputSchema)
    .output(statisticsOutputSchema)
    .query(({ ctx, input }) => ctx.services.statistics.forCollection(ctx.tenant, input.collectionId)),
};
