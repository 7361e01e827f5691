import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { StrategyChoice } from '@chunkflow/client';
import type { ProgressEvent } from '@chunkflow/core-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectExactChunks, settledOperation } from './support/collection-checks.ts';
import { type GatedEmbedder, startGatedEmbedder } from './support/gated-embedder.ts';
import { HELD_TAG } from './support/held-operation.ts';
import { type OperationsCluster, startOperationsCluster } from './support/operations-cluster.ts';
import type { ChildApp } from './support/processes.ts';
import { followSubscription } from './support/sse.ts';

/** Slices of two documents, one at a time per worker, locks that lapse a second after a worker dies. */
const SHARING = {
  OPERATION_SLICE_DOCUMENTS: '2',
  WORKER_CONCURRENCY: '1',
  WORKER_LOCK_DURATION_MS: '1000',
  WORKER_STALLED_INTERVAL_MS: '500',
};
const DOCUMENTS = 8;
/** The document the embedder holds: the second of the third slice (plan positions 4 and 5). */
const HELD = 5;
const HELD_SLICE = 2;

const TOPICS = ['rivers', 'mountains', 'cities', 'forests'];
const taggedText = (tag: string) =>
  Array.from({ length: 6 }, (_, i) => `Sentence ${i} of ${tag} is about ${TOPICS[i % 4]} only.`).join(' ');

const ranSlice = (worker: ChildApp, operationId: string, slice: number) =>
  worker.logs.filter(
    (line) => line.msg === 'operation running' && line.operationId === operationId && line.slice === slice,
  );

describe('one operation shared by two worker processes (PostgreSQL, Redis)', () => {
  let cluster: OperationsCluster;
  let embedder: GatedEmbedder;
  let workers: ChildApp[];

  beforeAll(async () => {
    embedder = await startGatedEmbedder(HELD_TAG);
    cluster = await startOperationsCluster('services', { EMBEDDER_ALLOWED_URLS: embedder.baseUrl });
    workers = await Promise.all([cluster.startWorker(SHARING), cluster.startWorker(SHARING)]);
    // Three processes starting on a loaded machine.
  }, 180_000);
  afterAll(async () => {
    await embedder?.close();
    await cluster?.close();
  });

  it('loses and doubles nothing when the worker holding a slice is SIGKILLed', async () => {
    const { client } = cluster;
    const name = `held-${randomBytes(4).toString('hex')}`;
    const tags = Array.from({ length: DOCUMENTS }, (_, index) => `${name}-${index + 1}`);
    const heldTag = tags[HELD] as string;
    for (const tag of tags) if (tag !== heldTag) embedder.release(tag);
    const { id: collectionId } = await client.collections.create.mutate({ name });
    const documentIds: string[] = [];
    for (const tag of tags) {
      const document = await client.documents.create.mutate({
        collectionId,
        name: tag,
        content: taggedText(tag),
      });
      documentIds.push(document.id);
    }
    const choice: StrategyChoice = {
      strategy: 'semantic',
      config: { embedder: { provider: 'openai', baseUrl: embedder.baseUrl, model: 'gated', maxRetries: 0 } },
    };
    const { operationId } = await client.chunking.applyToCollection.mutate({ collectionId, ...choice });
    const events: ProgressEvent[] = [];
    const following = (async () => {
      for await (const event of followSubscription<ProgressEvent>(
        await cluster.secondServerUrl(),
        'operations.progress',
        { operationId },
        { apiKey: cluster.apiKey },
      ))
        events.push(event.data);
    })();

    // Every document but the held one gets done, by both workers between them.
    await embedder.asked(heldTag);
    let operation = await client.operations.get.query({ id: operationId });
    while (operation.documentsDone < DOCUMENTS - 1) {
      await delay(100);
      operation = await client.operations.get.query({ id: operationId });
    }
    expect(operation).toMatchObject({ status: 'processing', documentsTotal: DOCUMENTS });
    expect(workers.every((worker) => worker.logs.some((line) => line.operationId === operationId))).toBe(
      true,
    );

    const holder = workers.find((worker) => ranSlice(worker, operationId, HELD_SLICE).length > 0);
    const survivor = workers.find((worker) => worker !== holder);
    if (!holder || !survivor) throw new Error('no worker ran the held slice');
    await holder.kill('SIGKILL');
    embedder.release(heldTag);

    const settled = await settledOperation(client, operationId);
    await following;
    const expectedTotal = await expectExactChunks(client, collectionId, documentIds, choice);
    expect(settled).toMatchObject({
      status: 'completed',
      documentsDone: DOCUMENTS,
      chunksCreated: expectedTotal,
    });
    // The survivor took the held slice over where its last batch had ended: after the document
    // before (on a loaded machine its own lock may lapse once too, and the slice start there again).
    const takeovers = ranSlice(survivor, operationId, HELD_SLICE);
    expect(takeovers.length).toBeGreaterThan(0);
    expect(takeovers.map((line) => line.resumedAt)).toEqual(takeovers.map(() => 1));
    // Followers saw counters that only grow, then the end.
    const done = events.flatMap((event) =>
      event.type === 'document_completed' ? [event.documentsDone] : [],
    );
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(new Set(done).size).toBe(done.length);
    expect(events.at(-1)).toMatchObject({
      type: 'completed',
      documentsDone: DOCUMENTS,
      chunksCreated: expectedTotal,
    });
  }, 120_000);
});
