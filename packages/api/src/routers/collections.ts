import {
  collectionIdInputSchema,
  collectionPageSchema,
  collectionSchema,
  createCollectionInputSchema,
  listCollectionsInputSchema,
  updateCollectionInputSchema,
} from '../schemas/collections.ts';
import { deletedSchema } from '../schemas/pagination.ts';
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

  list: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/collections', tags: ['collections'] } })
    .input(listCollectionsInputSchema)
    .output(collectionPageSchema)
    .query(({ ctx, input }) => ctx.services.collections.list(ctx.tenant, input)),

  update: authedProcedure
    .meta({ openapi: { method: 'PATCH', path: '/collections/{id}', tags: ['collections'] } })
    .input(updateCollectionInputSchema)
    .output(collectionSchema)
    .mutation(({ ctx, input }) => ctx.services.collections.update(ctx.tenant, input.id, input)),

  delete: authedProcedure
    .meta({ openapi: { method: 'DELETE', path: '/collections/{id}', tags: ['collections'] } })
    .input(collectionIdInputSchema)
    .output(deletedSchema)
    .mutation(({ ctx, input }) => ctx.services.collections.delete(ctx.tenant, input.id)),
});
