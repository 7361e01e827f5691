import {
  createDocumentInputSchema,
  documentIdInputSchema,
  documentPageSchema,
  documentSchema,
  documentSummarySchema,
  listDocumentsInputSchema,
} from '../schemas/documents.ts';
import { deletedSchema } from '../schemas/pagination.ts';
import { authedProcedure, router } from '../trpc.ts';
import { documentBatchProcedures } from './document-batches.ts';

const tags = ['documents'];

export const documentsRouter = router({
  ...documentBatchProcedures,

  create: authedProcedure
    .meta({
      openapi: { method: 'POST', path: '/collections/{collectionId}/documents', tags },
      rateLimit: 'writes',
    })
    .input(createDocumentInputSchema)
    .output(documentSummarySchema)
    .mutation(({ ctx, input }) => ctx.services.documents.create(ctx.tenant, input.collectionId, input)),

  list: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/collections/{collectionId}/documents', tags } })
    .input(listDocumentsInputSchema)
    .output(documentPageSchema)
    .query(({ ctx, input }) => ctx.services.documents.list(ctx.tenant, input)),

  get: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/documents/{id}', tags } })
    .input(documentIdInputSchema)
    .output(documentSchema)
    .query(({ ctx, input }) => ctx.services.documents.get(ctx.tenant, input.id)),

  delete: authedProcedure
    .meta({ openapi: { method: 'DELETE', path: '/documents/{id}', tags }, rateLimit: 'writes' })
    .input(documentIdInputSchema)
    .output(deletedSchema)
    .mutation(({ ctx, input }) => ctx.services.documents.delete(ctx.tenant, input.id)),
});
