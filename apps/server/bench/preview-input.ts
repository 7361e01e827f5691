// The preview the serving benchmarks serve: a fixed ~20 KB English Markdown text that ships with the
// lockfile's Fastify, so every run chunks the same, cut into 256-token chunks.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const DOCUMENT_CHARS = 20_000;
const fastifyDocs = join(dirname(createRequire(import.meta.url).resolve('fastify/package.json')), 'docs');
const content = readFileSync(join(fastifyDocs, 'Reference/Server.md'), 'utf8').slice(0, DOCUMENT_CHARS);

export const previewInput = {
  content,
  strategy: 'recursive',
  config: { chunkSize: 256, chunkOverlap: 32, sizeUnit: 'tokens' },
} as const;

/** The same preview asked for by the content's hash (`chunking.previewByHash`). */
export const previewByHashInput = {
  contentHash: createHash('sha256').update(content).digest('hex'),
  strategy: previewInput.strategy,
  config: previewInput.config,
} as const;
