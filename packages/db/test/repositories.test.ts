import { ConflictError, InvalidStateTransitionError, NotFoundError } from '@chunkflow/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, NewChunk, Tenant } from '../src/index.ts';
import { type BackendKind, backendKinds, openBackend } from './support/backends.ts';
import { chunksOfSizes, readAll } from './support/chunks.ts';

const foreignId = '00000000-0000-4000-8000-000000000000';

function chunksOf(text: string, size: number): NewChunk[] {
  const chunks: NewChunk[] = [];
  for (let start = 0, index = 0; start < text.length; start += size, index += 1) {
    const content = text.slice(start, start + size);
    chunks.push({
      chunkIndex: index,
      startOffset: start,
      endOffset: start + content.length,
      charCount: content.length,
      tokenCount: Math.ceil(content.length / 4),
      content,
      metadata: { headings: [`h${index % 3}`] },
    });
  }
  return chunks;
}

describe.each(backendKinds)('repositories on %s', (kind: BackendKind) => {
  let db: Database;
  let dispose: () => Promise<void>;
  let tenant: Tenant;
  let other: Tenant;

  beforeAll(async () => {
    ({ db, dispose } = await openBackend(kind));
    tenant = await db.tenants.ensureTenant('acme');
    other = await db.tenants.ensureTenant('globex');
  });
  afterAll(() => dispose?.());

  it('ensures a tenant once and finds it only by an unrevoked key', async () => {
    expect(await db.tenants.ensureTenant('acme')).toEqual(tenant);
    const key = await db.tenants.addApiKey(tenant.id, `hash-${kind}`, 'ci');
    expect(await db.tenants.findTenantByKeyHash(`hash-${kind}`)).toEqual({
      tenantId: tenant.id,
      apiKeyId: key.id,
    });
    expect(await db.tenants.countActiveKeys(tenant.id)).toBe(1);

    expect(await db.tenants.revokeApiKey(other.id, key.id)).toBe(false);
    expect(await db.tenants.revokeApiKey(tenant.id, key.id)).toBe(true);
    expect(await db.tenants.findTenantByKeyHash(`hash-${kind}`)).toBeNull();
    expect(await db.tenants.countActiveKeys(tenant.id)).toBe(0);
  });

  it('keeps collections per tenant and pages through them newest first', async () => {
    const created = [];
    for (let i = 0; i < 7; i += 1)
      created.push(await db.collections.create(tenant.id, { name: `paged-${i}` }));
    await db.collections.create(other.id, { name: 'paged-0' });

    const all = await readAll((cursor) =>
      db.collections.list(tenant.id, { limit: 3, ...(cursor ? { cursor } : {}) }),
    );
    const paged = all.filter((collection) => collection.name.startsWith('paged-'));
    // Newest first; rows created within the same millisecond are ordered by id.
    const newestFirst = [...created].sort(
      (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1),
    );
    expect(paged.map((collection) => collection.id)).toEqual(newestFirst.map((collection) => collection.id));

    const first = created[0];
    if (!first) throw new Error('no collection');
    expect(await db.collections.get(other.id, first.id)).toBeNull();
    expect(await db.collections.update(other.id, first.id, { name: 'stolen' })).toBeNull();
    expect(await db.collections.delete(other.id, first.id)).toBe(false);
    expect(await db.collections.get(tenant.id, 'not-a-uuid')).toBeNull();
    await expect(db.collections.create(tenant.id, { name: 'paged-1' })).rejects.toThrow(ConflictError);
    await expect(db.collections.update(tenant.id, first.id, { name: 'paged-1' })).rejects.toThrow(
      ConflictError,
    );
    expect((await db.collections.update(tenant.id, first.id, { description: 'first' }))?.description).toBe(
      'first',
    );
  });

  it('stores a document once per collection and refuses duplicate content with the existing id', async () => {
    const collection = await db.collections.create(tenant.id, { name: 'docs' });
    const doc = await db.documents.create(tenant.id, collection.id, {
      name: 'a.md',
      contentType: 'text/markdown',
      content: '# Héllo\n',
    });
    expect(doc).toMatchObject({ sizeBytes: 9, charCount: 8 });
    expect(doc).not.toHaveProperty('content');

    const duplicate = db.documents.create(tenant.id, collection.id, {
      name: 'b.md',
      contentType: 'text/markdown',
      content: '# Héllo\n',
    });
    await expect(duplicate).rejects.toThrow(ConflictError);
    await expect(duplicate).rejects.toMatchObject({ details: { existingDocumentId: doc.id } });

    await expect(
      db.documents.create(other.id, collection.id, { name: 'x', contentType: 'text/plain', content: 'x' }),
    ).rejects.toThrow(NotFoundError);
    expect((await db.documents.get(tenant.id, doc.id))?.content).toBe('# Héllo\n');
    expect(await db.documents.get(other.id, doc.id)).toBeNull();
    expect((await db.documents.list(tenant.id, collection.id, { limit: 10 })).items).toEqual([doc]);
    await expect(db.documents.list(other.id, collection.id, { limit: 10 })).rejects.toThrow(NotFoundError);
    expect(await db.documents.idsForProcessing(collection.id)).toEqual([doc.id]);
    expect(await db.documents.delete(other.id, doc.id)).toBeNull();
    expect(await db.documents.delete(tenant.id, doc.id)).toBe(doc.collectionId);
  });

  it('stores a batch in one statement: each content once, duplicates answered with the holder', async () => {
    const collection = await db.collections.create(tenant.id, { name: 'batch' });
    const held = await db.documents.create(tenant.id, collection.id, {
      name: 'held.md',
      contentType: 'text/markdown',
      content: 'held before',
    });
    const results = await db.documents.createMany(tenant.id, collection.id, [
      { name: 'a.md', contentType: 'text/markdown', content: 'it\'s "quoted", {braced} and \\ slashed' },
      { name: 'again.md', contentType: 'text/markdown', content: 'held before' },
      {
        name: 'b.pdf',
        contentType: 'application/pdf',
        content: 'Page one',
        metadata: { team: 'x' },
        source: { sha256: 'f'.repeat(64), bytes: 900, pageCount: 1, provenance: { pageStarts: [0] } },
      },
      { name: 'a-copy.md', contentType: 'text/markdown', content: 'it\'s "quoted", {braced} and \\ slashed' },
    ]);
    expect(results.map((result) => result.status)).toEqual(['created', 'duplicate', 'created', 'duplicate']);
    const [first, second, third, fourth] = results;
    if (first?.status !== 'created' || third?.status !== 'created') throw new Error('not created');
    expect(second).toEqual({ status: 'duplicate', existingDocumentId: held.id });
    expect(fourth).toEqual({ status: 'duplicate', existingDocumentId: first.document.id });
    expect(third.document).toMatchObject({
      collectionId: collection.id,
      tenantId: tenant.id,
      contentType: 'application/pdf',
      metadata: { team: 'x' },
      pageCount: 1,
      sourceHash: 'f'.repeat(64),
      sourceBytes: 900,
      sizeBytes: 8,
    });
    // What the batch stored reads back as if created one by one.
    const stored = await db.documents.get(tenant.id, first.document.id);
    expect(stored).toMatchObject({ ...first.document, content: 'it\'s "quoted", {braced} and \\ slashed' });
    expect((await db.documents.get(tenant.id, third.document.id))?.provenance).toEqual({ pageStarts: [0] });
    expect(await db.documents.idsForProcessing(collection.id)).toHaveLength(3);

    const found = await db.documents.findBySourceHashes(tenant.id, collection.id, [
      'f'.repeat(64),
      held.sourceHash ?? '',
      '0'.repeat(64),
    ]);
    expect(found).toEqual(
      expect.arrayContaining([
        { sourceHash: 'f'.repeat(64), documentId: third.document.id },
        { sourceHash: held.sourceHash, documentId: held.id },
      ]),
    );
    expect(found).toHaveLength(2);
    await expect(db.documents.createMany(other.id, collection.id, [])).rejects.toThrow(NotFoundError);
    await expect(db.documents.findBySourceHashes(other.id, collection.id, [])).rejects.toThrow(NotFoundError);
  });

  it('keeps a converted document’s source hash, size, page count and provenance; text is its own source', async () => {
    const collection = await db.collections.create(tenant.id, { name: 'files' });
    const provenance = { pageStarts: [0, 12], headings: [{ level: 1, text: 'Intro', offset: 0 }] };
    const converted = await db.documents.create(tenant.id, collection.id, {
      name: 'report.pdf',
      contentType: 'application/pdf',
      content: '# Intro\n\nOne.\n\nTwo.',
      source: { sha256: 'ab'.repeat(32), bytes: 4096, pageCount: 2, provenance },
    });
    expect(converted).toMatchObject({ pageCount: 2, sourceHash: 'ab'.repeat(32), sourceBytes: 4096 });
    expect(converted).not.toHaveProperty('provenance');
    expect(await db.documents.get(tenant.id, converted.id)).toMatchObject({ provenance, pageCount: 2 });
    expect(await db.documents.getForProcessing(converted.id)).toMatchObject({ provenance });

    const text = await db.documents.create(tenant.id, collection.id, {
      name: 't',
      contentType: 'text/plain',
      content: 'abc',
    });
    expect(text).toMatchObject({ pageCount: null, sourceHash: text.contentHash, sourceBytes: 3 });
    expect((await db.documents.get(tenant.id, text.id))?.provenance).toEqual({});
  });

  it('replaces a document’s chunks exactly, across several insert batches', async () => {
    const collection = await db.collections.create(tenant.id, { name: 'chunked' });
    const text = 'abcdefghij'.repeat(2_500);
    const doc = await db.documents.create(tenant.id, collection.id, {
      name: 't',
      contentType: 'text/plain',
      content: text,
    });

    const first = chunksOf(text, 10);
    expect(await db.chunks.replaceDocumentChunks(doc.id, first)).toBe(first.length);
    const second = chunksOf(text, 7);
    expect(await db.chunks.replaceDocumentChunks(doc.id, second)).toBe(second.length);

    const stored = await readAll((cursor) =>
      db.chunks.list(
        tenant.id,
        { collectionId: collection.id, documentId: doc.id },
        { limit: 1000, ...(cursor ? { cursor } : {}) },
      ),
    );
    expect(
      stored.map(({ chunkIndex, startOffset, endOffset, charCount, tokenCount, content, metadata }) => ({
        chunkIndex,
        startOffset,
        endOffset,
        charCount,
        tokenCount,
        content,
        metadata,
      })),
    ).toEqual(second);
    expect(stored.every((chunk) => chunk.collectionId === collection.id)).toBe(true);
    for (const chunk of stored) expect(text.slice(chunk.startOffset, chunk.endOffset)).toBe(chunk.content);

    const one = stored[3];
    if (!one) throw new Error('no chunk');
    expect(await db.chunks.get(tenant.id, one.id)).toEqual(one);
    expect(await db.chunks.get(other.id, one.id)).toBeNull();
    expect(await db.chunks.replaceDocumentChunks(foreignId, second)).toBe(0);
  });

  it('moves operations only along legal transitions, with one winner when two race', async () => {
    const collection = await db.collections.create(tenant.id, { name: 'operated' });
    const operation = await db.operations.create(tenant.id, {
      collectionId: collection.id,
      strategy: 'recursive',
      config: { chunkSize: 500 },
      correlationId: 'corr-1',
    });
    expect(operation).toMatchObject({
      status: 'pending',
      type: 'chunking',
      documentIds: [],
      startedAt: null,
    });
    expect(await db.operations.get(other.id, operation.id)).toBeNull();
    await expect(db.operations.transition(operation.id, ['pending'], 'completed')).rejects.toThrow(
      InvalidStateTransitionError,
    );
    expect(await db.operations.setProgress(operation.id, { documentsDone: 1 })).toBe('pending');

    const started = await db.operations.transition(operation.id, ['pending'], 'processing', {
      documentsTotal: 3,
    });
    expect(started).toMatchObject({ status: 'processing', documentsTotal: 3 });
    expect(started.startedAt).toBeInstanceOf(Date);
    expect(await db.operations.incrementProgress(operation.id, { documentsDone: 1, chunksCreated: 40 })).toBe(
      'processing',
    );
    expect(await db.operations.incrementProgress(operation.id, { documentsDone: 1, chunksCreated: 2 })).toBe(
      'processing',
    );

    const outcomes = await Promise.allSettled([
      db.operations.transition(operation.id, ['processing'], 'completed'),
      db.operations.transition(operation.id, ['processing'], 'cancelled'),
    ]);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const loser = outcomes.find((outcome) => outcome.status === 'rejected');
    expect(loser?.status === 'rejected' && loser.reason).toBeInstanceOf(InvalidStateTransitionError);

    const finished = await db.operations.getById(operation.id);
    expect(finished).toMatchObject({ documentsDone: 2, chunksCreated: 42 });
    expect(finished?.completedAt).toBeInstanceOf(Date);
    expect(finished?.processingMs).toBeGreaterThanOrEqual(0);
    expect(await db.operations.setProgress(operation.id, { documentsDone: 3 })).toBe(finished?.status);
    await expect(db.operations.transition(foreignId, ['pending'], 'processing')).rejects.toThrow(
      NotFoundError,
    );

    const listed = await db.operations.list(
      tenant.id,
      { collectionId: collection.id, status: finished?.status },
      { limit: 5 },
    );
    expect(listed.items.map((item) => item.id)).toEqual([operation.id]);
  });

  it('refuses a second active operation on a collection with CONFLICT, and keeps the plan it starts with', async () => {
    const collection = await db.collections.create(tenant.id, { name: 'serialised' });
    const input = { collectionId: collection.id, strategy: 'fixed', config: {} };
    const first = await db.operations.create(tenant.id, input);
    const refused = db.operations.create(tenant.id, input);
    await expect(refused).rejects.toBeInstanceOf(ConflictError);
    await expect(refused).rejects.toMatchObject({ details: { activeOperationId: first.id } });

    const plan = [foreignId, '00000000-0000-4000-8000-000000000001'];
    const started = await db.operations.transition(first.id, ['pending'], 'processing', {
      documentsTotal: plan.length,
      documentPlan: plan,
    });
    // Listings and gets leave the plan out; the processor asks for it.
    expect(started).not.toHaveProperty('documentPlan');
    expect(await db.operations.documentPlan(first.id)).toEqual(plan);
    expect(await db.operations.statusOf(first.id)).toBe('processing');
    await expect(db.operations.create(tenant.id, input)).rejects.toBeInstanceOf(ConflictError);

    await db.operations.transition(first.id, ['processing'], 'completed');
    const next = await db.operations.create(tenant.id, input);
    expect(next.status).toBe('pending');
    expect(await db.operations.documentPlan(next.id)).toEqual([]);
  });

  it('writes chunks given one at a time by a generator, in bounded statements', async () => {
    const collection = await db.collections.create(tenant.id, { name: 'streamed' });
    const content = 'z'.repeat(3_000);
    const doc = await db.documents.create(tenant.id, collection.id, {
      name: 'z',
      contentType: 'text/plain',
      content,
    });
    let made = 0;
    function* lazily() {
      for (const chunk of chunksOf(content, 5)) {
        made += 1;
        yield chunk;
      }
    }
    // 600 rows: more than one statement's worth, written and replaced twice.
    expect(await db.chunks.replaceDocumentChunks(doc.id, lazily())).toBe(600);
    expect(await db.chunks.replaceDocumentChunks(doc.id, lazily())).toBe(600);
    expect(made).toBe(1_200);
    const stored = await readAll((cursor) =>
      db.chunks.list(
        tenant.id,
        { collectionId: collection.id },
        { limit: 500, ...(cursor ? { cursor } : {}) },
      ),
    );
    expect(stored.map((chunk) => chunk.chunkIndex)).toEqual(Array.from({ length: 600 }, (_, i) => i));
  });

  it('serves other statements while a document’s chunks are replaced, each seeing the old set or the new one whole', async () => {
    const collection = await db.collections.create(tenant.id, { name: 'replaced while read' });
    const text = 'q'.repeat(20_000);
    const doc = await db.documents.create(tenant.id, collection.id, {
      name: 'q',
      contentType: 'text/plain',
      content: text,
    });
    const old = chunksOf(text, 10);
    const fresh = chunksOf(text, 8);
    await db.chunks.replaceDocumentChunks(doc.id, old);

    let replaced = false;
    const replacing = db.chunks.replaceDocumentChunks(doc.id, fresh).finally(() => {
      replaced = true;
    });
    let readsDuringReplacement = 0;
    while (!replaced) {
      const [page, statistics] = await Promise.all([
        db.chunks.list(tenant.id, { collectionId: collection.id, documentId: doc.id }, { limit: 1_000 }),
        db.statistics.forCollection(tenant.id, collection.id),
      ]);
      expect([...new Set(page.items.map((chunk) => chunk.charCount))]).toHaveLength(1);
      expect([old.length, fresh.length]).toContain(statistics?.totalChunks);
      if (!replaced) readsDuringReplacement += 1;
    }
    expect(await replacing).toBe(fresh.length);
    // No transaction spans the writing: reads were answered before it ended.
    expect(readsDuringReplacement).toBeGreaterThan(0);
    const stored = await readAll((cursor) =>
      db.chunks.list(
        tenant.id,
        { collectionId: collection.id, documentId: doc.id },
        { limit: 1_000, ...(cursor ? { cursor } : {}) },
      ),
    );
    expect(stored.map((chunk) => chunk.content)).toEqual(fresh.map((chunk) => chunk.content));
    expect((await db.statistics.forCollection(tenant.id, collection.id))?.totalChunks).toBe(fresh.length);
  });

  it('keeps a document’s chunks when their replacement fails midway, and replaces them later', async () => {
    const collection = await db.collections.create(tenant.id, { name: 'failed replacement' });
    const text = 'w'.repeat(5_000);
    const doc = await db.documents.create(tenant.id, collection.id, {
      name: 'w',
      contentType: 'text/plain',
      content: text,
    });
    const old = chunksOf(text, 10);
    await db.chunks.replaceDocumentChunks(doc.id, old);
    function* failingAfter(count: number) {
      yield* chunksOf(text, 5).slice(0, count);
      throw new Error('chunking failed');
    }
    await expect(db.chunks.replaceDocumentChunks(doc.id, failingAfter(600))).rejects.toThrow(
      'chunking failed',
    );
    const kept = await db.chunks.list(tenant.id, { collectionId: collection.id }, { limit: 1_000 });
    expect(kept.items.map((chunk) => chunk.content)).toEqual(old.map((chunk) => chunk.content));

    const fresh = chunksOf(text, 5);
    expect(await db.chunks.replaceDocumentChunks(doc.id, fresh)).toBe(fresh.length);
    const statistics = await db.statistics.forCollection(tenant.id, collection.id);
    expect(statistics?.totalChunks).toBe(fresh.length);
  });

  it('discards the sets dead writers left unfinished: an ended operation’s at start, a named one’s, never a live one', async () => {
    const collection = await db.collections.create(tenant.id, { name: 'abandoned sets' });
    const text = 'v'.repeat(5_000);
    const [first, second] = await Promise.all(
      ['first', 'second'].map((name) =>
        db.documents.create(tenant.id, collection.id, {
          name,
          contentType: 'text/plain',
          content: `${name}${text}`,
        }),
      ),
    );
    if (!first || !second) throw new Error('documents not created');
    const old = chunksOf(text, 10);
    await db.chunks.replaceDocumentChunks(first.id, old);
    /** A writer that dies after its first batch: it never asks for more once that batch is stored. */
    const stalledWriter = async (documentId: string) => {
      const operation = await db.operations.create(tenant.id, {
        collectionId: collection.id,
        strategy: 'fixed',
        config: {},
        documentIds: [documentId],
      });
      await db.operations.transition(operation.id, ['pending'], 'processing');
      let stored: () => void = () => undefined;
      const firstBatchStored = new Promise<void>((resolve) => (stored = resolve));
      let release: () => void = () => undefined;
      const released = new Promise<void>((resolve) => (release = resolve));
      async function* chunks() {
        const all = chunksOf(text, 5);
        yield* all.slice(0, 251);
        // Asked for the 252nd: the first 250 rows are stored.
        stored();
        await released;
        yield* all.slice(251);
      }
      const writing = db.chunks.replaceDocumentChunks(documentId, chunks(), { operationId: operation.id });
      await firstBatchStored;
      return { operationId: operation.id, writing, release };
    };
    const ended = await stalledWriter(first.id);
    await db.operations.transition(ended.operationId, ['processing'], 'failed', {
      error: { code: 'INTERNAL_ERROR', message: 'worker died' },
    });
    const running = await stalledWriter(second.id);

    // At a worker's start: the ended operation's set goes, the running one's stays.
    expect(await db.chunks.discardUnfinishedSets()).toBe(1);
    expect(await db.chunks.discardUnfinishedSets()).toBe(0);
    // When that operation is failed or resumed: its set goes too.
    expect(await db.chunks.discardUnfinishedSets(running.operationId)).toBe(1);

    // The dead writers, if they ever wake, store nothing; the live set was never touched.
    ended.release();
    running.release();
    expect(await ended.writing).toBe(0);
    expect(await running.writing).toBe(0);
    const kept = await db.chunks.list(tenant.id, { collectionId: collection.id }, { limit: 1_000 });
    expect(kept.items.map((chunk) => chunk.content)).toEqual(old.map((chunk) => chunk.content));
  });

  it('records a failure with its error and cancels pending work', async () => {
    const collection = await db.collections.create(tenant.id, { name: 'failing' });
    const failing = await db.operations.create(tenant.id, {
      collectionId: collection.id,
      strategy: 'fixed',
      config: {},
    });
    await db.operations.transition(failing.id, ['pending'], 'processing');
    const failed = await db.operations.transition(failing.id, ['processing'], 'failed', {
      error: { code: 'INTERNAL_ERROR', message: 'boom' },
    });
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'INTERNAL_ERROR', message: 'boom' } });

    const pending = await db.operations.create(tenant.id, {
      collectionId: collection.id,
      strategy: 'fixed',
      config: {},
    });
    const cancelled = await db.operations.transition(pending.id, ['pending', 'processing'], 'cancelled');
    expect(cancelled).toMatchObject({ status: 'cancelled', startedAt: null, processingMs: null });
    await expect(
      db.operations.transition(pending.id, ['pending', 'processing'], 'cancelled'),
    ).rejects.toThrow(InvalidStateTransitionError);

    const unstarted = await db.operations.create(tenant.id, {
      collectionId: collection.id,
      strategy: 'fixed',
      config: {},
    });
    const failedUnstarted = await db.operations.transition(
      unstarted.id,
      ['pending', 'processing'],
      'failed',
      {
        error: { code: 'DEPENDENCY_UNAVAILABLE', message: 'database is unavailable' },
      },
    );
    expect(failedUnstarted).toMatchObject({ status: 'failed', startedAt: null, processingMs: null });
  });

  it('keeps config presets per tenant', async () => {
    const preset = await db.presets.create(tenant.id, {
      name: 'small',
      strategy: 'fixed',
      config: { chunkSize: 100 },
    });
    await expect(
      db.presets.create(tenant.id, { name: 'small', strategy: 'fixed', config: {} }),
    ).rejects.toThrow(ConflictError);
    expect(await db.presets.getByName(tenant.id, 'small')).toEqual(preset);
    expect(await db.presets.get(other.id, preset.id)).toBeNull();
    const updated = await db.presets.update(tenant.id, preset.id, { config: { chunkSize: 200 } });
    expect(updated?.config).toEqual({ chunkSize: 200 });
    expect((await db.presets.list(tenant.id, { limit: 10 })).items.map((item) => item.id)).toEqual([
      preset.id,
    ]);
    expect(await db.presets.delete(other.id, preset.id)).toBe(false);
    expect(await db.presets.delete(tenant.id, preset.id)).toBe(true);
  });

  it('computes collection statistics', async () => {
    const collection = await db.collections.create(tenant.id, { name: 'measured' });
    const doc = await db.documents.create(tenant.id, collection.id, {
      name: 'd',
      contentType: 'text/plain',
      content: 'x'.repeat(25),
    });
    await db.chunks.replaceDocumentChunks(doc.id, chunksOf('x'.repeat(25), 10));
    const op = await db.operations.create(tenant.id, {
      collectionId: collection.id,
      strategy: 'fixed',
      config: {},
    });
    await db.operations.transition(op.id, ['pending'], 'processing');
    const done = await db.operations.transition(op.id, ['processing'], 'completed');
    await db.operations.create(tenant.id, { collectionId: collection.id, strategy: 'fixed', config: {} });

    const stats = await db.statistics.forCollection(tenant.id, collection.id);
    expect(stats).toMatchObject({
      totalChunks: 3,
      totalDocuments: 1,
      avgChunkSize: 25 / 3,
      minChunkSize: 5,
      maxChunkSize: 10,
      operationsByStatus: { pending: 1, processing: 0, completed: 1, failed: 0, cancelled: 0 },
      avgProcessingMs: done.processingMs,
    });
    expect(stats?.lastUpdated.getTime()).toBeGreaterThanOrEqual(done.updatedAt.getTime());
    expect(await db.statistics.forCollection(other.id, collection.id)).toBeNull();
  });

  /** A collection whose two documents hold chunks of these char counts, split between them. */
  async function collectionWithChunkSizes(name: string, sizes: readonly number[]): Promise<string> {
    const { id: collection } = await db.collections.create(tenant.id, { name });
    const halves = [sizes.slice(0, Math.ceil(sizes.length / 2)), sizes.slice(Math.ceil(sizes.length / 2))];
    for (const [position, half] of halves.entries()) {
      const content = 'y'.repeat(half.reduce((sum, size) => sum + size, 0));
      const doc = await db.documents.create(tenant.id, collection, {
        name: `${name}-${position}`,
        contentType: 'text/plain',
        content: `${position}${content}`,
      });
      await db.chunks.replaceDocumentChunks(doc.id, chunksOfSizes(half, 'y'));
    }
    return collection;
  }

  it('bins chunk sizes into at most 12 equal-width ranges from the smallest to the largest', async () => {
    const distributionOf = async (name: string, sizes: readonly number[]) => {
      const collection = await collectionWithChunkSizes(name, sizes);
      return (await db.statistics.forCollection(tenant.id, collection))?.sizeDistribution;
    };
    // 10..45 is 36 sizes: 12 bins of 3; 12 ends the first bin, 45 (the largest) the last.
    expect(await distributionOf('twelve-bins', [45, 10, 20, 11, 33, 12])).toEqual([
      { from: 10, to: 12, count: 3 },
      { from: 13, to: 15, count: 0 },
      { from: 16, to: 18, count: 0 },
      { from: 19, to: 21, count: 1 },
      { from: 22, to: 24, count: 0 },
      { from: 25, to: 27, count: 0 },
      { from: 28, to: 30, count: 0 },
      { from: 31, to: 33, count: 1 },
      { from: 34, to: 36, count: 0 },
      { from: 37, to: 39, count: 0 },
      { from: 40, to: 42, count: 0 },
      { from: 43, to: 45, count: 1 },
    ]);
    // 100..113 is 14 sizes: bins of 2 (ceil(14 / 12)), so 7 of them.
    expect(await distributionOf('seven-bins', [113, 100, 104, 104])).toEqual([
      { from: 100, to: 101, count: 1 },
      { from: 102, to: 103, count: 0 },
      { from: 104, to: 105, count: 2 },
      { from: 106, to: 107, count: 0 },
      { from: 108, to: 109, count: 0 },
      { from: 110, to: 111, count: 0 },
      { from: 112, to: 113, count: 1 },
    ]);
    // 1..13 is 13 sizes: 7 bins of 2, the last reaching past the largest.
    expect((await distributionOf('overhang', [1, 13, 2]))?.at(-1)).toEqual({ from: 13, to: 14, count: 1 });
    expect(await distributionOf('one-size', [7, 7, 7])).toEqual([{ from: 7, to: 7, count: 3 }]);
    const empty = await db.collections.create(tenant.id, { name: 'no-chunks' });
    expect(await db.statistics.forCollection(tenant.id, empty.id)).toMatchObject({
      totalChunks: 0,
      minChunkSize: 0,
      maxChunkSize: 0,
      sizeDistribution: [],
    });
  });
});
