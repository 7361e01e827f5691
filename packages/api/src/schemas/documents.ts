import { z } from 'zod';
import { idSchema, jsonObjectSchema, pageInputShape, pageOf } from './pagination.ts';

export const documentSummarySchema = z.object({
  id: z.string(),
  collectionId: z.string(),
  name: z.string(),
  contentType: z.string().describe('The source type, e.g. application/pdf for a PDF converted to text'),
  contentHash: z.string().describe('SHA-256 of the content; unique within a collection'),
  sizeBytes: z.number().int(),
  charCount: z.number().int(),
  metadata: jsonObjectSchema,
  pageCount: z.number().int().nullable().describe('Pages of a paged source (PDF); null otherwise'),
  sourceHash: z
    .string()
    .nullable()
    .describe(
      'SHA-256 of the file as uploaded, before conversion (null for documents stored before it was kept)',
    ),
  sourceBytes: z.number().int().nullable().describe('Bytes of the file as uploaded'),
  createdAt: z.date(),
  updatedAt: z.date(),
});

export const documentSchema = documentSummarySchema.extend({ content: z.string() });

export const createDocumentInputSchema = z.object({
  collectionId: idSchema,
  name: z.string().trim().min(1).max(500),
  content: z.string().describe('UTF-8 text; larger documents go through the streaming upload route'),
  contentType: z.string().min(1).max(200).optional(),
  metadata: jsonObjectSchema.optional(),
});

export const listDocumentsInputSchema = z.object({ collectionId: idSchema, ...pageInputShape });

export const documentPageSchema = pageOf(documentSummarySchema);

export const documentIdInputSchema = z.object({ id: idSchema });
