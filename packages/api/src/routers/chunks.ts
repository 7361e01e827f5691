import {
  chunkIdInputSchema,
  chunkPageSchema,
  listChunksInputSchema,
  storedChunkSchema,
} from '../schemas/chunks.ts';
import { authedProcedure, router } from '../trpc.ts';

export const chunksRouter = router({
  list: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/chunks', tags: ['chunks'] } })
    .input(listChunksInputSchema)
    .output(chunkPageSchema)
    .query(({ ctx, input }) => ctx.services.chunks.list(ctx.tenant, input)),

  get: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/chunks/{id}', tags: ['chunks'] } })
    .input(chunkIdInputSchema)
    .output(storedChunkSchema)
    .query(({ ctx, input }) => ctx.services.chunks.get(ctx.tenant, input.id)),
});
