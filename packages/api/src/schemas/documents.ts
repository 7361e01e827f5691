import { z } from 'zod';
import { idSchema, jsonObjectSchema, pageInputShape, pageOf } from './pagination.ts';

export const documentSummarySchema = z.object({
  id: z.string(),
  collectionId: z.string(),
  name: z.string(),
  contentType: z.string(),
  contentHash: z.string().describe('SHA-256 of the content; unique within a collection'),
  sizeBytes: z.number().int(),
  charCount: z.number().int(),
  metadata: jsonObjectSchema,
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
