import { z } from 'zod';

/**
 * Smallest size any chunk may be given: 4 holds any code point in either unit (a surrogate pair is
 * 2 UTF-16 units; a code point is at most 4 UTF-8 bytes, hence at most 4 byte-level BPE tokens).
 */
export const MIN_CHUNK_SIZE = 4;
export const MAX_CHUNK_SIZE = 1_000_000;

/** The BPE encodings the engine ships (beside `hf:<name>` tokenizers a process installs). */
export const BPE_TOKENIZERS = ['cl100k_base', 'o200k_base'] as const;

/** The tokenizer a config that names none counts with. */
export const DEFAULT_TOKENIZER = 'cl100k_base' satisfies (typeof BPE_TOKENIZERS)[number];

/** A chunk size, in the config's `sizeUnit`. */
export const chunkSizeSchema = z.number().int().min(MIN_CHUNK_SIZE).max(MAX_CHUNK_SIZE);

/** The config keys every strategy accepts; each strategy adds its own (`StrategyDefinition.options`). */
export const commonOptions = {
  chunkSize: chunkSizeSchema.optional().describe('Largest chunk, in `sizeUnit`'),
  chunkOverlap: z
    .number()
    .int()
    .min(0)
    .max(MAX_CHUNK_SIZE)
    .optional()
    .describe('Most shared between neighbours; < chunkSize'),
  sizeUnit: z.enum(['chars', 'tokens']).optional().describe('chars = UTF-16 code units (JS string length)'),
  tokenizer: z
    .union([
      z.enum(BPE_TOKENIZERS),
      // A folder name under the server's tokenizer folder: no path separators, no leading dot.
      z.templateLiteral(['hf:', z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$/)]),
    ])
    .optional()
    .describe(
      'BPE encoding, or `hf:<name>`: a Hugging Face tokenizer.json the server holds (see chunking.strategies)',
    ),
  minChunkSize: z
    .number()
    .int()
    .min(0)
    .max(MAX_CHUNK_SIZE)
    .optional()
    .describe('Pieces smaller than this, in `sizeUnit`, merge with a neighbour; < chunkSize; 0 = off'),
  embedTemplate: z
    .enum(['title-headings', 'headings', 'none'])
    .optional()
    .describe('Context header of embedText: document title and heading path, heading path only, or none'),
  embedSizeLimit: z
    .enum(['content', 'embedText'])
    .optional()
    .describe('What chunkSize bounds: the exact content, or embedText (header included)'),
};
