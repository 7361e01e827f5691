import { z } from 'zod';

export const strategyNameSchema = z
  .string()
  .min(1)
  .max(64)
  .describe('Strategy name or alias, e.g. recursive');

/** Validated in depth by the engine, which names the offending key in an INVALID_CONFIG error. */
export const chunkingConfigInputSchema = z
  .record(z.string(), z.unknown())
  .describe('Strategy parameters: chunkSize, chunkOverlap, sizeUnit, tokenizer and strategy-specific keys');

export const chunkSchema = z.object({
  index: z.number().int(),
  content: z.string(),
  startOffset: z.number().int(),
  endOffset: z.number().int(),
  charCount: z.number().int(),
  tokenCount: z.number().int(),
  metadata: z.record(z.string(), z.unknown()),
});

export const strategyInfoSchema = z.object({
  name: z.string(),
  description: z.string(),
  bestFor: z.array(z.string()),
  defaultConfig: z.record(z.string(), z.unknown()),
});

export const strategiesOutputSchema = z.object({ strategies: z.array(strategyInfoSchema) });

export const previewInputSchema = z
  .object({
    content: z.string().optional().describe('Text to chunk (or give documentId)'),
    documentId: z.string().min(1).max(64).optional(),
    strategy: strategyNameSchema,
    config: chunkingConfigInputSchema.optional(),
    maxChunks: z.number().int().min(1).max(10_000).optional().describe('Chunks returned (all are counted)'),
  })
  .refine((input) => (input.content === undefined) !== (input.documentId === undefined), {
    message: 'Give exactly one of content or documentId',
    path: ['content'],
  });

export const previewMetricsSchema = z.record(z.string(), z.unknown());

export const previewOutputSchema = z.object({
  previewId: z.string(),
  strategy: z.string(),
  config: z.record(z.string(), z.unknown()),
  chunks: z.array(chunkSchema),
  totalChunks: z.number().int(),
  metrics: previewMetricsSchema,
  processingTimeMs: z.number(),
  cached: z.boolean(),
  expiresAt: z.date(),
  correlationId: z.string(),
});
