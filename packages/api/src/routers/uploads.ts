import { boundedUploads } from '../middleware/bounded-uploads.ts';
import { importInputSchema } from '../schemas/bulk-documents.ts';
import { exportInputSchema } from '../schemas/export.ts';
import { uploadInputSchema } from '../schemas/uploads.ts';
import { authedProcedure, createCallerFactory, router } from '../trpc.ts';

/**
 * Procedures whose input is a live request body or whose answer is a stream, called in-process by
 * the server's streaming HTTP routes (never served over /trpc or REST, so not part of appRouter).
 * They run through the same middleware as every procedure: authentication, rate limits, metrics,
 * the request log's facts, error translation, the request's time budget (for what they do before
 * they answer; an export's stream has its own, EXPORT_TIMEOUT_MS).
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
  chunks: router({
    /** NDJSON text in batches of lines; refusals (unknown collection, bad ids) come before any. */
    export: authedProcedure
      .meta({ rateLimit: 'reads' })
      .input(exportInputSchema)
      .query(({ ctx, input }) => ctx.services.chunks.export(ctx.tenant, input)),
  }),
});

export const createBodyCaller = createCallerFactory(bodyRouter);
