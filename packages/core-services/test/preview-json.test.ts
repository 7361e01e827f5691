import { chunkForEmbedding, computeMetrics, normalizeConfig } from '@chunkflow/chunkers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComputedPreview } from '../src/chunking/chunking-service.ts';
import { WorkerPoolExecutor } from '../src/chunking/pool-executor.ts';
import { assemblePreviewJson, previewJson } from '../src/chunking/preview-json.ts';
import { type EmbeddedServices, openEmbeddedServices } from './support/embedded.ts';

const text = `# Título 😀\n\n${'A "quoted" line,\twith\\escapes and emoji 👩‍💻.\n'.repeat(40)}\uD800 lone`;

async function previewOf(extra: Partial<ComputedPreview> = {}): Promise<ComputedPreview> {
  const config = normalizeConfig({ strategy: 'recursive', chunkSize: 120, chunkOverlap: 20 });
  const chunks = await chunkForEmbedding(text, config, { title: 'Notes' });
  return {
    previewId: 'a'.repeat(32),
    tenantId: 'tenant',
    strategy: config.strategy,
    config,
    chunks,
    totalChunks: chunks.length,
    metrics: computeMetrics(text, chunks),
    processingTimeMs: 1.25,
    createdAt: 1_700_000_000_000,
    ...extra,
  };
}

const encoded = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe('a preview’s JSON assembled around its chunks’ JSON', () => {
  it('is byte for byte what JSON.stringify writes', async () => {
    const preview = await previewOf();
    assemblePreviewJson(preview, encoded(preview.chunks));
    const assembled = previewJson(preview);
    expect(Buffer.isBuffer(assembled)).toBe(true);
    expect(assembled).toEqual(Buffer.from(JSON.stringify(preview)));
    expect(JSON.parse(assembled.toString())).toEqual(JSON.parse(JSON.stringify(preview)));
  });

  it('leaves out fields JSON leaves out, on either side of the chunks', async () => {
    const preview = await previewOf({ strategy: undefined as unknown as string, createdAt: Number.NaN });
    assemblePreviewJson(preview, encoded(preview.chunks));
    expect(previewJson(preview)).toEqual(Buffer.from(JSON.stringify(preview)));
  });

  it('is stringified as usual for a preview nothing was assembled for', async () => {
    const preview = await previewOf();
    expect(previewJson(preview)).toBe(JSON.stringify(preview));
  });
});

describe('a preview computed on a chunking thread, as the cache stores it', () => {
  let embedded: EmbeddedServices;
  let executor: WorkerPoolExecutor;
  beforeAll(async () => {
    executor = new WorkerPoolExecutor({ offloadThresholdChars: 0, maxThreads: 1 });
    embedded = await openEmbeddedServices({}, { executor });
  });
  afterAll(async () => {
    await embedded?.close();
    await executor?.close();
  });

  it('is the JSON of the preview as answered, with a stored document’s metadata in its chunks', async () => {
    const { services, cache } = embedded;
    const tenant = await services.auth.authenticate(await services.auth.createApiKey('json', 'test'));
    const { id: collectionId } = await services.collections.create(tenant, { name: 'notes' });
    const { id: documentId } = await services.documents.create(tenant, collectionId, {
      name: 'notes.md',
      content: text,
      metadata: { source: 'handbook' },
    });
    const choice = { strategy: 'recursive', config: { chunkSize: 120, chunkOverlap: 20 } };
    for (const source of [{ content: text }, { documentId }]) {
      const { preview } = await services.chunking.previewEntry(tenant, { ...source, ...choice });
      expect(await cache.get(preview.previewId)).toBe(JSON.stringify(preview));
    }
    const { preview } = await services.chunking.previewEntry(tenant, { documentId, ...choice });
    expect(preview.chunks[0]?.metadata).toMatchObject({ source: 'handbook' });
  });
});
