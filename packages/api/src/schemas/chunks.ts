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
  embedText: z
    .string()
    .describe('Context header (title, heading path, table header) + content: the text to embed'),
  embedTokenCount: z.number().int().describe('Exact token count of embedText'),
  metadata: jsonObjectSchema.describe("The strategy's keys over the document's metadata"),
  createdAt: z.date(),
});

export const listChunksInputSchema = z.object({
  collectionId: idSchema,
  documentId: idSchema.optional().describe("Only this document's chunks"),
  ...pageInputShape,
});

export const chunkPageSchema = pageOf(storedChunkSchema);

export const chunkIdInputSchema = z.object({ id: idSchema });
