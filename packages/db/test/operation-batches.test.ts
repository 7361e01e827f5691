import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, NewChunk, Tenant } from '../src/index.ts';
import { type BackendKind, backendKinds, openBackend } from './support/backends.ts';
import { chunksOfSizes, readAll } from './support/chunks.ts';

/** Text COPY must carry exactly: its escapes, JSON with quotes and backslashes, non-Latin text. */
const AWKWARD = 'tab\there\nnew line\r\nback\\slash \\N not null, "quoted", ünïcödé 漢字 🙂';

function awkwardChunks(count: number): NewChunk[] {
  return Array.from({ length: count }, (_, chunkIndex) => ({
    chunkIndex,
    startOffset: chunkIndex * 10,
    endOffset: chunkIndex * 10 + 10,
    charCount: 10,
    tokenCount: 3,
    content: `${chunkIndex}: ${AWKWARD}`,
    embedHeader: `Title\t${chunkIndex}\n`,
    embedTokenCount: 5,
    metadata: { headings: [AWKWARD], index: chunkIndex },
  }));
}

describe.each(backendKinds)('operation batches on %s', (kind: BackendKind) => {
  let db: Database;
  let dispose: () => Promise<void>;
  let tenant: Tenant;
  let collectionId: string;
  let documentIds: string[];
  let operationId: string;

  beforeAll(async () => {
    ({ db, dispose } = await openBackend(kind));
    tenant = await db.tenants.ensureTenant('batches');
    collectionId = (await db.collections.create(tenant.id, { name: 'batched' })).id;
    documentIds = [];
    for (const name of ['a', 'b', 'c']) {
      const document = await db.documents.create(tenant.id, collectionId, {
        name,
        contentType: 'text/plain',
        content: name.repeat(100),
      });
      documentIds.push(document.id);
    }
    const operation = await db.operations.create(tenant.id, {
      collectionId,
      strategy: 'fixed',
      config: {},
    });
    operationId = operation.id;
    await db.operations.transition(operationId, ['pending'], 'processing', {
      documentsTotal: 3,
      documentPlan: documentIds,
      sliceProgress: [0, 0],
    });
  });
  afterAll(async () => {
    await dispose?.();
  });

  const stored = (documentId: string) =>
    readAll((cursor) =>
      db.chunks.list(tenant.id, { collectionId, documentId }, { limit: 100, ...(cursor ? { cursor } : {}) }),
    );

  it('copies every field exactly, summarises the documents and counts the batch in one go', async () => {
    const [first, second] = documentIds as [string, string];
    const outcome = await db.chunks.writeOperationBatch({
      operationId,
      slice: 0,
      sliceDoneBefore: 0,
      documentsDone: 2,
      documents: [
        { documentId: first, chunks: awkwardChunks(3) },
        { documentId: second, chunks: chunksOfSizes([4, 5]) },
      ],
    });
    expect(outcome).toEqual({
      written: true,
      chunks: 5,
      documentsDone: 2,
      documentsTotal: 3,
      chunksCreated: 5,
    });
    const rows = await stored(first);
    expect(
      rows.map(({ chunkIndex, content, embedText, embedTokenCount, metadata, operationId: by }) => ({
        chunkIndex,
        content,
        embedText,
        embedTokenCount,
        metadata,
        by,
      })),
    ).toEqual(
      awkwardChunks(3).map((chunk) => ({
        chunkIndex: chunk.chunkIndex,
        content: chunk.content,
        embedText: `${chunk.embedHeader}${chunk.content}`,
        embedTokenCount: 5,
        metadata: chunk.metadata,
        by: operationId,
      })),
    );
    expect((await db.operations.slices(operationId))?.sliceProgress).toEqual([2, 0]);
    const statistics = await db.statistics.forCollection(tenant.id, collectionId);
    expect(statistics).toMatchObject({ totalChunks: 5, minChunkSize: 4, maxChunkSize: 10 });
  });

  it('commits nothing for a writer whose slice moved on without it', async () => {
    const [first] = documentIds as [string];
    const outcome = await db.chunks.writeOperationBatch({
      operationId,
      slice: 0,
      sliceDoneBefore: 0,
      documentsDone: 1,
      documents: [{ documentId: first, chunks: chunksOfSizes([7]) }],
    });
    expect(outcome).toEqual({ written: false, status: 'processing' });
    expect((await stored(first)).map((chunk) => chunk.content)).toEqual(
      awkwardChunks(3).map((c) => c.content),
    );
    expect(await db.operations.getById(operationId)).toMatchObject({ documentsDone: 2, chunksCreated: 5 });
  });

  it('replaces a document already chunked and counts a deleted one as done with no chunks', async () => {
    const [first, , third] = documentIds as [string, string, string];
    await db.documents.delete(tenant.id, third);
    const outcome = await db.chunks.writeOperationBatch({
      operationId,
      slice: 1,
      sliceDoneBefore: 0,
      documentsDone: 2,
      documents: [
        { documentId: first, chunks: chunksOfSizes([6, 6, 6], 'y') },
        { documentId: third, chunks: chunksOfSizes([9]) },
      ],
    });
    expect(outcome).toMatchObject({ written: true, chunks: 3, documentsDone: 4, chunksCreated: 8 });
    expect((await stored(first)).map((chunk) => chunk.content)).toEqual(['yyyyyy', 'yyyyyy', 'yyyyyy']);
    const statistics = await db.statistics.forCollection(tenant.id, collectionId);
    expect(statistics).toMatchObject({ totalChunks: 5, totalDocuments: 2 });
  });

  it('commits nothing once the operation was cancelled', async () => {
    const [, second] = documentIds as [string, string];
    await db.operations.transition(operationId, ['processing'], 'cancelled');
    const outcome = await db.chunks.writeOperationBatch({
      operationId,
      slice: 1,
      sliceDoneBefore: 2,
      documentsDone: 1,
      documents: [{ documentId: second, chunks: chunksOfSizes([1]) }],
    });
    expect(outcome).toEqual({ written: false, status: 'cancelled' });
    expect((await stored(second)).map((chunk) => chunk.charCount)).toEqual([4, 5]);
  });
});
