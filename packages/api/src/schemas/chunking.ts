import type { ChunkingOptionsInput, StrategyChoiceInput, StrategyNameInput } from '@chunkflow/core-services';
import { z } from 'zod';

/**
 * `schema` exactly as it parses (its checks, its JSON Schema, its output), with the narrower input
 * type `Input` for typed callers. Strategy names and config keys are checked by the engine, which
 * answers every caller, typed or not, with INVALID_CONFIG naming the offending field; the type
 * lets a typed client see the same mistake at compile time.
 */
function typedInput<Input>() {
  return <Schema extends z.ZodType>(schema: Schema) =>
    schema as z.ZodType<z.output<Schema>, z.input<Schema>> as z.ZodType<z.output<Schema>, Input>;
}

export const strategyNameSchema = typedInput<StrategyNameInput>()(
  z.string().min(1).max(64).describe('Strategy name or alias, e.g. recursive'),
);

/** Validated in depth by the engine, which names the offending key in an INVALID_CONFIG error. */
export const chunkingOptionsSchema = typedInput<ChunkingOptionsInput>()(
  z
    .record(z.string(), z.unknown())
    .describe('Strategy parameters: chunkSize, chunkOverlap, sizeUnit, tokenizer and strategy-specific keys'),
);

/** An input object whose `strategy` and `config` go together: the config keys typed per strategy. */
export function withStrategyChoice<Schema extends z.ZodType<{ strategy: string }>>(schema: Schema) {
  return typedInput<Omit<z.input<Schema>, 'strategy' | 'config'> & StrategyChoiceInput>()(schema);
}

export const chunkSchema = z.object({
  index: z.number().int(),
  content: z.string(),
  startOffset: z.number().int(),
  endOffset: z.number().int(),
  charCount: z.number().int(),
  tokenCount: z.number().int(),
  embedText: z
    .string()
    .describe('Context header (title, heading path, table header) + content: the text to embed'),
  embedTokenCount: z.number().int().describe('Exact token count of embedText'),
  metadata: z
    .record(z.string(), z.unknown())
    .describe(
      'headings: heading path (markdown strategy, or a structured document’s); pages: [first, last] pages, 1-based and inclusive, of a paged document (PDF); parentIndex/level (hierarchical); language (code)',
    ),
});

export const strategyInfoSchema = z.object({
  name: z.string(),
  description: z.string(),
  bestFor: z.array(z.string()),
  defaultConfig: z.record(z.string(), z.unknown()),
  parametersSchema: z
    .record(z.string(), z.unknown())
    .describe(
      'JSON Schema (draft 2020-12) of the config keys this strategy accepts (defaultConfig without strategy validates against it)',
    ),
});

export const strategiesOutputSchema = z.object({
  strategies: z.array(strategyInfoSchema),
  tokenizers: z
    .array(z.string())
    .describe(
      'What `tokenizer` may name: the BPE encodings and the `hf:<name>` tokenizers this server holds',
    ),
});

export const previewInputSchema = withStrategyChoice(
  z
    .object({
      content: z.string().optional().describe('Text to chunk (or give documentId)'),
      documentId: z.string().min(1).max(64).optional(),
      strategy: strategyNameSchema,
      config: chunkingOptionsSchema.optional(),
      maxChunks: z.number().int().min(1).max(10_000).optional().describe('Chunks returned (all are counted)'),
    })
    .refine((input) => (input.content === undefined) !== (input.documentId === undefined), {
      message: 'Give exactly one of content or documentId',
      path: ['content'],
    }),
);

const sizeStatsSchema = z.object({
  mean: z.number(),
  min: z.number(),
  max: z.number(),
  variance: z.number(),
});

export const chunkMetricsSchema = z.object({
  chunkCount: z.number().int(),
  chars: sizeStatsSchema,
  tokens: sizeStatsSchema,
  embedChars: sizeStatsSchema.describe('Sizes of embedText (context header + content), in characters'),
  embedTokens: sizeStatsSchema.describe('Sizes of embedText, in tokens'),
  sentenceBoundaryRatio: z.number().describe('Fraction of chunks ending on a sentence boundary'),
  paragraphBoundaryRatio: z.number().describe('Fraction of chunks ending on a paragraph boundary'),
  overlapRatio: z.number().describe('Fraction of chunk characters repeated in another chunk'),
  coverage: z.number().describe('Fraction of non-whitespace characters inside some chunk'),
});

export const previewOutputSchema = z.object({
  previewId: z.string(),
  strategy: z.string(),
  config: z.record(z.string(), z.unknown()),
  chunks: z.array(chunkSchema),
  totalChunks: z.number().int(),
  metrics: chunkMetricsSchema,
  processingTimeMs: z.number(),
  cached: z.boolean(),
  expiresAt: z.date(),
  correlationId: z.string(),
});

export const previewIdInputSchema = z.object({
  previewId: z.string().regex(/^[0-9a-f]{32}$/, 'A preview id is 32 hex characters'),
  maxChunks: z.number().int().min(1).max(10_000).optional(),
});

export const previewByHashInputSchema = withStrategyChoice(
  z.object({
    contentHash: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'A content hash is the SHA-256 of the content, 64 lowercase hex characters')
      .describe('SHA-256 of the content (UTF-8) previewed before with this strategy and config'),
    strategy: strategyNameSchema,
    config: chunkingOptionsSchema.optional(),
    maxChunks: z.number().int().min(1).max(10_000).optional().describe('Chunks returned (all are counted)'),
  }),
);

export const deletePreviewOutputSchema = z.object({ deleted: z.literal(true) });

const normalisedConfigSchema = z
  .record(z.string(), z.unknown())
  .describe('The normalised config the engine ran');

export const recommendInputSchema = z
  .object({
    fileType: z.string().max(200).optional().describe('File name, extension or MIME type'),
    content: z.string().optional(),
  })
  .refine((input) => input.fileType !== undefined || input.content !== undefined, {
    message: 'Give fileType, content or both',
    path: ['content'],
  });

export const recommendOutputSchema = z.object({
  strategy: z.string(),
  config: normalisedConfigSchema,
  reason: z.string(),
  confidence: z.number().min(0).max(1),
  analysis: z.record(z.string(), z.unknown()).optional(),
});

const strategyChoiceSchema = withStrategyChoice(
  z.object({ strategy: strategyNameSchema, config: chunkingOptionsSchema.optional() }),
);

export const compareInputSchema = z
  .object({
    content: z.string().optional(),
    documentId: z.string().min(1).max(64).optional(),
    strategies: z.array(strategyChoiceSchema).min(2).max(6),
    sampleSize: z.number().int().min(0).max(20).optional().describe('Sample chunks returned per strategy'),
  })
  .refine((input) => (input.content === undefined) !== (input.documentId === undefined), {
    message: 'Give exactly one of content or documentId',
    path: ['content'],
  });

const scoreSchema = z.object({
  score: z.number(),
  boundary: z.number(),
  regularity: z.number(),
  fill: z.number(),
  coverage: z.number(),
});

export const compareOutputSchema = z.object({
  results: z.array(
    z.object({
      strategy: z.string(),
      config: normalisedConfigSchema,
      totalChunks: z.number().int(),
      sampleChunks: z.array(chunkSchema),
      metrics: chunkMetricsSchema,
      score: scoreSchema,
      processingTimeMs: z.number(),
    }),
  ),
  recommendation: z.object({ strategy: z.string(), reason: z.string() }),
  contentAnalysis: z.object({ strategy: z.string(), reason: z.string(), confidence: z.number() }),
  correlationId: z.string(),
});
