import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OperationsCluster, startOperationsCluster } from './support/operations-cluster.ts';
import type { ChildApp } from './support/processes.ts';

/**
 * Locks that lapse after a second without renewal, and watchers that look for them every half
 * second. The workers keep their normal CPU priority: this is about the worker's own chunking not
 * delaying its renewals, and at the default lower priority a machine busy with other work can hold
 * a renewal back past a one-second lock (production locks last far longer).
 */
const SHORT_LOCKS = {
  WORKER_LOCK_DURATION_MS: '1000',
  WORKER_STALLED_INTERVAL_MS: '500',
  WORKER_MAX_STALLED_COUNT: '1',
  WORKER_NICENESS: '0',
};

describe('a worker chunking one long document (PostgreSQL + Redis)', () => {
  let cluster: OperationsCluster;
  let workers: ChildApp[];

  beforeAll(async () => {
    cluster = await startOperationsCluster('services');
    workers = [await cluster.startWorker(SHORT_LOCKS), await cluster.startWorker(SHORT_LOCKS)];
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it('keeps renewing its job lock: no other worker takes the job over, counts stay exact', async () => {
    const { client } = cluster;
    const { id: collectionId } = await client.collections.create.mutate({ name: 'long' });
    // Several seconds of token sizing for one pool thread, far past the one-second lock.
    const sentence = (i: number) => `Sentence ${i} weighs its words, tokens and commas with care. `;
    const content = Array.from({ length: 60_000 }, (_, i) => sentence(i)).join('');
    await client.documents.create.mutate({ collectionId, name: 'long.txt', content });
    const { operationId } = await client.chunking.applyToCollection.mutate({
      collectionId,
      strategy: 'recursive',
      config: { chunkSize: 64, chunkOverlap: 0, sizeUnit: 'tokens' },
    });
    let operation = await client.operations.get.query({ id: operationId });
    while (operation.status === 'pending' || operation.status === 'processing') {
      await delay(100);
      operation = await client.operations.get.query({ id: operationId });
    }
    expect(operation).toMatchObject({
      status: 'completed',
      documentsDone: 1,
      documentsTotal: 1,
      error: null,
    });
    const statistics = await client.chunking.statistics.query({ collectionId });
    expect(statistics.totalChunks).toBe(operation.chunksCreated);
    const takeovers = workers
      .flatMap((worker) => worker.logs)
      .filter((line) => line.msg === 'job stalled; requeued');
    expect(takeovers).toEqual([]);
  });
});
