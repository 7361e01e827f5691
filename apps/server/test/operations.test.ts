import type { StrategyChoice } from '@chunkflow/client';
import type { ProgressEvent } from '@chunkflow/core-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendModes } from './support/backends.ts';
import { realDocuments } from './support/documents.ts';
import { type GatedEmbedder, startGatedEmbedder } from './support/gated-embedder.ts';
import { HELD_TAG, startHeldOperation } from './support/held-operation.ts';
import { type OperationsCluster, startOperationsCluster } from './support/operations-cluster.ts';
import { followSubscription, type SseEvent } from './support/sse.ts';

const FIXED: StrategyChoice = { strategy: 'fixed', config: { chunkSize: 300, chunkOverlap: 30 } };
const RECURSIVE: StrategyChoice = { strategy: 'recursive', config: { chunkSize: 800, chunkOverlap: 0 } };

async function collect(events: AsyncIterable<SseEvent<ProgressEvent>>): Promise<SseEvent<ProgressEvent>[]> {
  const seen: SseEvent<ProgressEvent>[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

describe.each(backendModes)('operations on the %s backends', (mode) => {
  let cluster: OperationsCluster;
  let embedder: GatedEmbedder;
  let collectionId: string;
  let documentIds: string[];

  beforeAll(async () => {
    embedder = await startGatedEmbedder(HELD_TAG);
    cluster = await startOperationsCluster(mode, {
      EMBEDDER_ALLOWED_URLS: embedder.baseUrl,
      // A quiet stream re-reads the log only after an hour: live events can only come pushed.
      PROGRESS_IDLE_CHECK_MS: String(60 * 60 * 1000),
    });
    if (mode === 'services') await cluster.startWorker();
    const collection = await cluster.client.collections.create.mutate({ name: 'repository docs' });
    collectionId = collection.id;
    documentIds = [];
    for (const document of realDocuments()) {
      const created = await cluster.client.documents.create.mutate({ collectionId, ...document });
      documentIds.push(created.id);
    }
  });
  afterAll(async () => {
    // First the embedder: it cuts any request it still holds, so no operation keeps closing waiting.
    await embedder?.close();
    await cluster?.close();
  });

  /** The chunks the engine makes of each document with this strategy, by document id. */
  async function expectedChunks(strategy: StrategyChoice) {
    const expected = new Map<string, { startOffset: number; endOffset: number; content: string }[]>();
    for (const documentId of documentIds) {
      const preview = await cluster.client.chunking.preview.mutate({
        documentId,
        ...strategy,
        maxChunks: 10_000,
      });
      expected.set(
        documentId,
        preview.chunks.map(({ startOffset, endOffset, content }) => ({ startOffset, endOffset, content })),
      );
    }
    return expected;
  }

  async function storedChunks() {
    const stored = new Map<
      string,
      { startOffset: number; endOffset: number; content: string; chunkIndex: number }[]
    >();
    let cursor: string | undefined;
    do {
      const page = await cluster.client.chunks.list.query({
        collectionId,
        limit: 100,
        ...(cursor ? { cursor } : {}),
      });
      for (const { documentId, chunkIndex, startOffset, endOffset, content } of page.items) {
        const list = stored.get(documentId) ?? [];
        list.push({ chunkIndex, startOffset, endOffset, content });
        stored.set(documentId, list);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return stored;
  }

  async function applyAndFollow(strategy: typeof FIXED) {
    const applied = await cluster.client.chunking.applyToCollection.mutate({ collectionId, ...strategy });
    const url = await cluster.secondServerUrl();
    const events = await collect(
      followSubscription<ProgressEvent>(
        url,
        'operations.progress',
        { operationId: applied.operationId },
        {
          apiKey: cluster.apiKey,
        },
      ),
    );
    return { applied, events };
  }

  it('applies a strategy to a collection and streams its progress to another server process', async () => {
    const { applied, events } = await applyAndFollow(FIXED);
    expect(applied.status).toBe('pending');
    expect(applied.queuePosition).toBeGreaterThanOrEqual(0);

    const types = events.map((event) => event.data.type);
    expect(types[0]).toBe('started');
    expect(types.at(-1)).toBe('completed');
    // Coalesced (a few a second, written in batches): counters that only grow, up to every document.
    const done = events.flatMap(({ data }) =>
      data.type === 'document_completed' ? [data.documentsDone] : [],
    );
    expect(done.length).toBeGreaterThan(0);
    expect(done.every((count, index) => index === 0 || count > (done[index - 1] ?? 0))).toBe(true);
    expect(done.at(-1)).toBe(documentIds.length);

    const expected = await expectedChunks(FIXED);
    const stored = await storedChunks();
    const total = [...expected.values()].reduce((sum, chunks) => sum + chunks.length, 0);
    const operation = await cluster.client.operations.get.query({ id: applied.operationId });
    expect(operation).toMatchObject({
      status: 'completed',
      documentsDone: documentIds.length,
      chunksCreated: total,
    });
    expect(operation.correlationId).toBe(applied.correlationId);
    for (const documentId of documentIds) {
      const chunks = stored.get(documentId) ?? [];
      expect(chunks.map((chunk) => chunk.chunkIndex)).toEqual(chunks.map((_, index) => index));
      expect(chunks.map(({ chunkIndex: _, ...rest }) => rest)).toEqual(expected.get(documentId));
    }
  });

  it('pushes progress live to a follower on another server process as the operation goes on', async () => {
    // Held in its second document: the follower replays what happened so far, then the rest
    // reaches it only through the announcements the publisher sends.
    const held = await startHeldOperation(cluster.client, embedder);
    const url = await cluster.secondServerUrl();
    const seen: string[] = [];
    const events = followSubscription<ProgressEvent>(
      url,
      'operations.progress',
      { operationId: held.operationId },
      { apiKey: cluster.apiKey },
    );
    for await (const { data } of events) {
      seen.push(data.type);
      if (data.type === 'document_completed' && data.documentsDone === 1) held.release();
    }
    expect(seen).toEqual(['started', 'document_completed', 'document_completed', 'completed']);
  });

  it('replays from lastEventId, so a reconnecting client misses nothing', async () => {
    const { applied, events } = await applyAndFollow(FIXED);
    const url = await cluster.secondServerUrl();
    const third = events[2];
    expect(third).toBeDefined();
    const resumed = await collect(
      followSubscription<ProgressEvent>(
        url,
        'operations.progress',
        { operationId: applied.operationId, lastEventId: third?.id },
        { apiKey: cluster.apiKey },
      ),
    );
    expect(resumed).toEqual(events.slice(3));
  });

  it('re-applies another strategy and replaces the old chunks exactly', async () => {
    const { events } = await applyAndFollow(RECURSIVE);
    expect(events.at(-1)?.data.type).toBe('completed');
    const expected = await expectedChunks(RECURSIVE);
    const stored = await storedChunks();
    for (const documentId of documentIds) {
      expect(stored.get(documentId)?.map(({ chunkIndex: _, ...rest }) => rest)).toEqual(
        expected.get(documentId),
      );
    }
  });

  it('reads statistics that follow the operations, cached between changes', async () => {
    const first = await cluster.client.chunking.statistics.query({ collectionId });
    const stored = await storedChunks();
    const sizes = [...stored.values()].flat().map((chunk) => chunk.content.length);
    expect(first).toMatchObject({
      collectionId,
      totalDocuments: documentIds.length,
      totalChunks: sizes.length,
      minChunkSize: Math.min(...sizes),
      maxChunkSize: Math.max(...sizes),
    });
    expect(first.operationsByStatus.completed).toBeGreaterThanOrEqual(3);
    const hitsBefore = cluster.app.services.statistics.stats().hits;
    const second = await cluster.client.chunking.statistics.query({ collectionId });
    expect(second).toEqual(first);
    expect(cluster.app.services.statistics.stats().hits).toBe(hitsBefore + 1);

    await applyAndFollow(FIXED);
    const after = await cluster.client.chunking.statistics.query({ collectionId });
    expect(after.operationsByStatus.completed).toBe(first.operationsByStatus.completed + 1);
    expect(after.totalChunks).not.toBe(first.totalChunks);
  });

  it('cancels a running operation and rejects illegal transitions', async () => {
    // Held in its second document, so the cancel lands while it runs.
    const held = await startHeldOperation(cluster.client, embedder);
    const cancelled = await cluster.client.operations.cancel.mutate({ id: held.operationId });
    expect(cancelled).toMatchObject({ status: 'cancelled', documentsDone: 1, documentsTotal: 2 });
    held.release();
    const again = await cluster.client.operations.cancel
      .mutate({ id: held.operationId })
      .catch((error: { data?: { code?: string } }) => error.data?.code);
    expect(again).toBe('INVALID_STATE_TRANSITION');

    const rest = await fetch(`${cluster.app.url}/api/v2/operations/${held.operationId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${cluster.apiKey}` },
    });
    expect(rest.status).toBe(409);
    expect(((await rest.json()) as { error: { code: string } }).error.code).toBe('INVALID_STATE_TRANSITION');
    const events = await collect(
      followSubscription<ProgressEvent>(
        cluster.app.url,
        'operations.progress',
        { operationId: held.operationId },
        { apiKey: cluster.apiKey },
      ),
    );
    expect(events.at(-1)?.data).toMatchObject({ type: 'cancelled', documentsDone: 1 });
    expect(await cluster.client.operations.get.query({ id: held.operationId })).toMatchObject({
      status: 'cancelled',
      documentsDone: 1,
    });
  });

  it('refuses to cancel a completed operation', async () => {
    const { applied, events } = await applyAndFollow(FIXED);
    expect(events.at(-1)?.data.type).toBe('completed');
    const refused = await cluster.client.operations.cancel
      .mutate({ id: applied.operationId })
      .catch((error: { data?: { code?: string } }) => error.data?.code);
    expect(refused).toBe('INVALID_STATE_TRANSITION');
    expect(await cluster.client.operations.get.query({ id: applied.operationId })).toMatchObject({
      status: 'completed',
    });
  });

  it('answers REST apply with 202 and an invalid config with INVALID_CONFIG', async () => {
    const response = await fetch(`${cluster.app.url}/api/v2/chunking/apply`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${cluster.apiKey}`,
        'x-correlation-id': 'apply-rest-1',
      },
      body: JSON.stringify({ collectionId, ...FIXED }),
    });
    expect(response.status).toBe(202);
    const body = (await response.json()) as { operationId: string; status: string; correlationId: string };
    expect(body).toMatchObject({ status: 'pending', correlationId: 'apply-rest-1' });

    const invalid = await fetch(`${cluster.app.url}/api/v2/chunking/apply`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${cluster.apiKey}` },
      body: JSON.stringify({ collectionId, strategy: 'fixed', config: { chunkSize: 10, chunkOverlap: 10 } }),
    });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { error: { code: string } }).error.code).toBe('INVALID_CONFIG');
    const listed = await cluster.client.operations.list.query({ collectionId, limit: 100 });
    expect(listed.items.some((operation) => operation.id === body.operationId)).toBe(true);
  });
});
