import { z } from 'zod';
import { chunkingOptionsSchema, strategyNameSchema, withStrategyChoice } from './chunking.ts';
import { idSchema, jsonObjectSchema, pageInputShape, pageOf } from './pagination.ts';

export const operationStatusSchema = z.enum(['pending', 'processing', 'completed', 'failed', 'cancelled']);

export const operationSchema = z.object({
  id: z.string(),
  collectionId: z.string(),
  type: z.string(),
  status: operationStatusSchema,
  strategy: z.string(),
  config: jsonObjectSchema.describe('The normalised config the operation runs'),
  documentIds: z.array(z.string()).describe('Documents it is limited to; empty means the whole collection'),
  documentsTotal: z.number().int(),
  documentsDone: z.number().int(),
  chunksCreated: z.number().int(),
  error: z.json().nullable().describe('{ code, message, correlationId } when failed'),
  correlationId: z.string().nullable().describe('Of the request that applied it'),
  createdAt: z.date(),
  updatedAt: z.date(),
  startedAt: z.date().nullable(),
  completedAt: z.date().nullable(),
  processingMs: z.number().int().nullable(),
});

export const applyInputSchema = withStrategyChoice(
  z.object({
    collectionId: idSchema,
    strategy: strategyNameSchema,
    config: chunkingOptionsSchema.optional(),
    documentIds: z.array(idSchema).min(1).max(10_000).optional(),
    priority: z
      .number()
      .int()
      .min(1)
      .max(10)
      .optional()
      .describe(
        '1 (lowest) to 10; default 5. Values above 5 count as 5: no tenant jumps ahead of the others',
      ),
  }),
);

export const applyOutputSchema = z.object({
  operationId: z.string(),
  status: operationStatusSchema,
  queuePosition: z.number().int().describe('Jobs waiting to start, this one included'),
  correlationId: z.string(),
});

export const listOperationsInputSchema = z.object({
  collectionId: idSchema.optional(),
  status: operationStatusSchema.optional(),
  ...pageInputShape,
});

export const operationPageSchema = pageOf(operationSchema);

export const operationIdInputSchema = z.object({ id: idSchema });

export const progressInputSchema = z.object({
  operationId: idSchema,
  lastEventId: z.string().max(64).optional().describe('Resume after this event'),
});

export const statisticsInputSchema = z.object({ collectionId: idSchema });

export const statisticsOutputSchema = z.object({
  collectionId: z.string(),
  totalChunks: z.number().int(),
  totalDocuments: z.number().int(),
  avgChunkSize: z.number().describe('Characters'),
  minChunkSize: z.number().int(),
  maxChunkSize: z.number().int(),
  embedTextSize: z
    .object({ avg: z.number(), min: z.number().int(), max: z.number().int() })
    .describe("Sizes of the chunks' embedText (context header + content), in characters"),
  sizeDistribution: z
    .array(
      z.object({
        from: z.number().int().describe('Smallest char count of the bin'),
        to: z.number().int().describe('Largest char count of the bin (inclusive)'),
        count: z.number().int().describe('Chunks in the bin'),
      }),
    )
    .describe(
      "Every chunk's size in at most 12 equal-width bins from minChunkSize (the last holds maxChunkSize), empty bins included; [] without chunks",
    ),
  operationsByStatus: z.record(operationStatusSchema, z.number().int()),
  avgProcessingMs: z.number().nullable(),
  lastUpdated: z.date(),
});
