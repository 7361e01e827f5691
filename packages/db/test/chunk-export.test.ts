import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, ExportedChunk, NewChunk, Tenant } from '../src/index.ts';
import { type BackendKind, backendKinds, openBackend } from './support/backends.ts';

function chunksOf(text: string, size: number, header: string): NewChunk[] {
  const chunks: NewChunk[] = [];
  for (let start = 0, index = 0; start < text.length; start += size, index += 1) {
    const content = text.slice(start, start + size);
    chunks.push({
      chunkIndex: index,
      startOffset: start,
      endOffset: start + content.length,
      charCount: content.length,
      tokenCount: content.length,
      content,
      embedHeader: header,
      embedTokenCount: content.length + 3,
      metadata: { part: index },
    });
  }
  return chunks;
}

async function collect(batches: AsyncIterable<ExportedChunk[]>): Promise<ExportedChunk[]> {
  const all: ExportedChunk[] = [];
  for await (const batch of batches) all.push(...batch);
  return all;
}

describe.each(backendKinds)('chunk export on %s', (kind: BackendKind) => {
  let db: Database;
  let dispose: () => Promise<void>;
  let tenant: Tenant;
  let other: Tenant;
  let collectionId: string;
  let documentIds: string[];
  let chunkCounts: number[];

  beforeAll(async () => {
    ({ db, dispose } = await openBackend(kind));
    tenant = await db.tenants.ensureTenant('acme');
    other = await db.tenants.ensureTenant('globex');
    collectionId = (await db.collections.create(tenant.id, { name: 'exported' })).id;
    const counts = new Map<string, number>();
    for (const name of ['alpha', 'beta', 'gamma']) {
      const text = `${name} `.repeat(40);
      const doc = await db.documents.create(tenant.id, collectionId, {
        name,
        contentType: 'text/plain',
        content: text,
        metadata: { source: name },
      });
      counts.set(doc.id, await db.chunks.replaceDocumentChunks(doc.id, chunksOf(text, 17, `${name}\n\n`)));
    }
    documentIds = [...counts.keys()].sort();
    chunkCounts = documentIds.map((id) => counts.get(id) ?? 0);
  });
  afterAll(() => dispose?.());

  it('reads every live chunk in document then chunk order, in batches of the size asked', async () => {
    const batches: ExportedChunk[][] = [];
    for await (const batch of db.chunks.exportBatches(tenant.id, { collectionId }, { batchRows: 7 }))
      batches.push(batch);
    expect(batches.every((batch) => batch.length <= 7)).toBe(true);
    const all = batches.flat();
    expect(all.map((chunk) => [chunk.documentId, chunk.index])).toEqual(
      documentIds.flatMap((id, i) => Array.from({ length: chunkCounts[i] ?? 0 }, (_, index) => [id, index])),
    );
    for (const chunk of all) {
      expect(chunk.embedText).toBe(`${chunk.documentName}\n\n${chunk.content}`);
      expect(chunk.embedTokenCount).toBe(chunk.content.length + 3);
      expect(chunk.documentMetadata).toEqual({ source: chunk.documentName });
      expect(chunk.metadata).toEqual({ part: chunk.index });
    }
  });

  it('sums embedText sizes beside content sizes in the statistics', async () => {
    const all = await collect(db.chunks.exportBatches(tenant.id, { collectionId }));
    const sizes = all.map((chunk) => chunk.embedText.length);
    const statistics = await db.statistics.forCollection(tenant.id, collectionId);
    expect(statistics?.embedTextSize).toEqual({
      avg: sizes.reduce((sum, size) => sum + size, 0) / sizes.length,
      min: Math.min(...sizes),
      max: Math.max(...sizes),
    });
    expect(statistics?.maxChunkSize).toBe(Math.max(...all.map((chunk) => chunk.charCount)));
  });

  it('filters by document and resumes after a document', async () => {
    const [first, second, third] = documentIds as [string, string, string];
    const one = await collect(db.chunks.exportBatches(tenant.id, { collectionId, documentId: second }));
    expect(new Set(one.map((chunk) => chunk.documentId))).toEqual(new Set([second]));
    expect(one).toHaveLength(chunkCounts[1] ?? -1);
    const resumed = await collect(
      db.chunks.exportBatches(tenant.id, { collectionId, afterDocumentId: first }),
    );
    expect([...new Set(resumed.map((chunk) => chunk.documentId))]).toEqual([second, third]);
    expect(
      await collect(db.chunks.exportBatches(tenant.id, { collectionId, afterDocumentId: third })),
    ).toEqual([]);
  });

  it('answers NOT_FOUND for another tenant’s or an unknown collection, VALIDATION_ERROR for bad ids', async () => {
    await expect(collect(db.chunks.exportBatches(other.id, { collectionId }))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      collect(db.chunks.exportBatches(tenant.id, { collectionId: '00000000-0000-4000-8000-000000000000' })),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      collect(db.chunks.exportBatches(tenant.id, { collectionId, afterDocumentId: "x' OR 1=1" })),
    ).rejects.toMatchObject({ code: 'VALIDATION_ERROR', details: { field: 'afterDocumentId' } });
  });

  it('shows chunks stored before embed texts existed as their content, counted as the content', async () => {
    const doc = await db.documents.create(tenant.id, collectionId, {
      name: 'legacy',
      contentType: 'text/plain',
      content: 'old text',
    });
    await db.chunks.replaceDocumentChunks(doc.id, [
      { chunkIndex: 0, startOffset: 0, endOffset: 8, charCount: 8, tokenCount: 2, content: 'old text' },
    ]);
    const [chunk] = await collect(db.chunks.exportBatches(tenant.id, { collectionId, documentId: doc.id }));
    expect(chunk).toMatchObject({ embedText: 'old text', embedTokenCount: 2, documentMetadata: {} });
    const page = await db.chunks.list(tenant.id, { collectionId, documentId: doc.id }, { limit: 5 });
    expect(page.items[0]).toMatchObject({ embedText: 'old text', embedTokenCount: 2 });
  });
});
