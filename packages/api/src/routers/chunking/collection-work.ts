import {
  applyInputSchema,
  applyOutputSchema,
  statisticsInputSchema,
  statisticsOutputSchema,
} from '../../schemas/operations.ts';
import { authedProcedure } from '../../trpc.ts';

/** Background work on a collection: applying a strategy answers 202, the operation runs later. */
export const collectionWorkProcedures = {
  applyToCollection: authedProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/chunking/apply',
        tags: ['chunking'],
        successDescription: 'Accepted',
      },
      successStatus: 202,
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
