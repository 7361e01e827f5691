import {
  bulkResultSchema,
  createManyDocumentsInputSchema,
  findByHashesInputSchema,
  findByHashesOutputSchema,
} from '../schemas/bulk-documents.ts';
import { authedProcedure } from '../trpc.ts';

const tags = ['documents'];

/** The bulk procedures of `documents`: many texts in one call, and which files a collection holds. */
export const documentBatchProcedures = {
  createMany: authedProcedure
    .meta({
      openapi: { method: 'POST', path: '/collections/{collectionId}/documents/batch', tags },
      rateLimit: 'writes',
    })
    .input(createManyDocumentsInputSchema)
    .output(bulkResultSchema)
    .mutation(({ ctx, input }) =>
      ctx.services.documents.createMany(ctx.tenant, input.collectionId, input.documents),
    ),

  // A read sent as POST: a thousand hashes do not fit a URL.
  findByHashes: authedProcedure
    .meta({ openapi: { method: 'POST', path: '/collections/{collectionId}/documents/lookup', tags } })
    .input(findByHashesInputSchema)
    .output(findByHashesOutputSchema)
    .mutation(({ ctx, input }) =>
      ctx.services.documents.findByHashes(ctx.tenant, input.collectionId, input.hashes),
    ),
};
