import { boundedUploads } from '../middleware/bounded-uploads.ts';
import { importInputSchema } from '../schemas/bulk-documents.ts';
import { uploadInputSchema } from '../schemas/uploads.ts';
import { authedProcedure, createCallerFactory, router } from '../trpc.ts';

/**
 * Procedures whose input is a live request body, called in-process by the server's streaming
 * HTTP routes (never served over /trpc or REST, so not part of appRouter). They run through the
 * same middleware as every procedure: authentication, rate limits, metrics, the request log's
 * facts, error translation.
 */
export const bodyRouter = router({
  documents: router({
    upload: authedProcedure
      .meta({ rateLimit: 'writes' })
      .use(boundedUploads)
      .input(uploadInputSchema)
      .mutation(({ ctx, input }) =>
        ctx.services.documents.upload(
          ctx.tenant,
          input.collectionId,
          input.document,
          input.body,
          input.declaredBytes,
        ),
      ),
    // Holds one of its key's upload slots while it reads; each item also counts as a `documents` item.
    import: authedProcedure
      .meta({ rateLimit: 'writes' })
      .use(boundedUploads)
      .input(importInputSchema)
      .mutation(({ ctx, input }) =>
        ctx.services.documents.import(ctx.tenant, input.collectionId, input.body, input.emit),
      ),
  }),
});

export const createBodyCaller = createCallerFactory(bodyRouter);
