import { z } from 'zod';
import type { Embedder } from './embedder.ts';
import { HashingEmbedder } from './hashing-embedder.ts';
import { HttpEmbedder } from './http-embedder.ts';

/** The serialisable form of an embedder choice, as it appears in a chunking config. */
export const embedderSpecSchema = z.discriminatedUnion('provider', [
  z.strictObject({
    provider: z.literal('hashing'),
    dimensions: z.number().int().min(8).max(8192).optional(),
    ngram: z.number().int().min(1).max(8).optional(),
  }),
  z.strictObject({
    provider: z.literal('openai'),
    baseUrl: z.url(),
    model: z.string().min(1),
    apiKey: z.string().min(1).optional(),
    dimensions: z.number().int().positive().optional(),
    batchSize: z.number().int().min(1).max(2048).optional(),
    timeoutMs: z.number().int().min(1).max(600_000).optional(),
    maxRetries: z.number().int().min(0).max(10).optional(),
  }),
]);
export type EmbedderSpec = z.infer<typeof embedderSpecSchema>;

export const defaultEmbedderSpec: EmbedderSpec = { provider: 'hashing' };

export function createEmbedder(spec: EmbedderSpec = defaultEmbedderSpec): Embedder {
  if (spec.provider === 'hashing') return new HashingEmbedder(spec);
  const { provider: _provider, ...options } = spec;
  return new HttpEmbedder(options);
}
