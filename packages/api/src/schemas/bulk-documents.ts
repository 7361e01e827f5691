import { BULK_LIMITS, type ImportResultSink } from '@chunkflow/core-services';
import { z } from 'zod';
import { createDocumentInputSchema } from './documents.ts';
import { idSchema } from './pagination.ts';

export const createManyDocumentsInputSchema = z.object({
  collectionId: idSchema,
  documents: z
    .array(createDocumentInputSchema.omit({ collectionId: true }))
    .min(1)
    .max(BULK_LIMITS.maxBatchDocuments)
    .describe(`1 to ${BULK_LIMITS.maxBatchDocuments} documents, stored in one insert`),
});

const itemShape = {
  index: z.number().int().describe('Position of the item in the request, from 0'),
  name: z.string(),
};

const itemErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  correlationId: z.string(),
  // A plain record (not z.json(), which is recursive): the OpenAPI document inlines this schema.
  details: z.record(z.string(), z.unknown()).optional(),
});

/** What became of one item: stored, a duplicate of a document the collection holds, or refused. */
export const bulkItemResultSchema = z.discriminatedUnion('status', [
  z.object({ ...itemShape, status: z.literal('created'), id: z.string() }),
  z.object({
    ...itemShape,
    status: z.literal('duplicate'),
    existingDocumentId: z.string().describe('The document holding the same content'),
  }),
  z.object({
    ...itemShape,
    name: z.string().optional().describe('Absent when the item gave none (a line that is not JSON)'),
    status: z.literal('refused'),
    error: itemErrorSchema.describe('The typed error a single request would have answered'),
  }),
]);

const countsShape = {
  created: z.number().int(),
  duplicates: z.number().int(),
  refused: z.number().int(),
};

export type BulkItemResultLine = z.infer<typeof bulkItemResultSchema>;

export const bulkResultSchema = z.object({ ...countsShape, results: z.array(bulkItemResultSchema) });

export const findByHashesInputSchema = z.object({
  collectionId: idSchema,
  hashes: z
    .array(z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in lowercase hex'))
    .min(1)
    .max(BULK_LIMITS.maxLookupHashes)
    .describe("SHA-256 of files as uploaded (a document's sourceHash)"),
});

export const findByHashesOutputSchema = z.object({
  found: z.array(z.object({ hash: z.string(), documentId: z.string() })),
});

const isAsyncIterable = (value: unknown): value is AsyncIterable<Uint8Array> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;

/** An import as the server's route hands it over: its body still arriving, and where results go. */
export const importInputSchema = z.object({
  collectionId: z.string(),
  body: z.custom<AsyncIterable<Uint8Array>>(isAsyncIterable),
  emit: z.custom<ImportResultSink>((value) => typeof value === 'function'),
});

export const IMPORT_CONTENT_TYPE = 'application/x-ndjson; charset=utf-8';

/** The last line of an import's answer: its counts, or the error that ended it early. */
export const importEndLineSchema = z.union([
  z.object({ summary: z.object(countsShape) }),
  z.object({ error: itemErrorSchema }),
]);
