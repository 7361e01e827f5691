import {
  collectionIdInputSchema,
  collectionSchema,
  createCollectionInputSchema,
} from '../schemas/collections.ts';
import { authedProcedure, router } from '../trpc.ts';

export const collectionsRouter = router({
  create: authedProcedure
    .meta({
      openapi: { method: 'POST', path: '/collections', tags: ['collections'], successDescription: 'Created' },
    })
    .input(createCollectionInputSchema)
    .output(collectionSchema)
    .mutation(({ ctx, input }) => ctx.services.collections.create(ctx.tenant, input)),

  get: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/collections/{id}', tags: ['collections'] } })
    .input(collectionIdInputSchema)
    .output(collectionSchema)
    .query(({ ctx, input }) => ctx.services.collections.get(ctx.tenant, input.id)),
});
