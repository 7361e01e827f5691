import { z } from 'zod';
import { idSchema, jsonObjectSchema, pageInputShape, pageOf } from './pagination.ts';

export const storedChunkSchema = z.object({
  id: z.string(),
  documentId: z.string(),
  collectionId: z.string(),
  operationId: z.string().nullable().describe('The operation that wrote it'),
  chunkIndex: z.number().int(),
  startOffset: z.number().int(),
  endOffset: z.number().int(),
  charCount: z.number().int(),
  tokenCount: z.number().int(),
  content: z.string(),
  metadata: jsonObjectSchema,
  createdAt: z.date(),
});

export const listChunksInputSchema = z.object({
  collectionId: idSchema,
  documentId: idSchema.optional().describe("Only this document's chunks"),
  ...pageInputShape,
});

export const chunkPageSchema = pageOf(storedChunkSchema);

export const chunkIdInputSchema = z.object({ id: idSchema });
