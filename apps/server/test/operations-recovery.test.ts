import type { ProgressEvent } from '@chunkflow/core-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectExactChunks } from './support/collection-checks.ts';
import { type GatedEmbedder, startGatedEmbedder } from './support/gated-embedder.ts';
import { HELD_TAG, startHeldOperation } from './support/held-operation.ts';
import { type OperationsCluster, startOperationsCluster } from './support/operations-cluster.ts';
import { followSubscription } from './support/sse.ts';

/** Short locks so a dead worker's job is taken over within a second or two. */
const FAST_RECOVERY = {
  WORKER_CONCURRENCY: '1',
  WORKER_LOCK_DURATION_MS: '1000',
  WORKER_STALLED_INTERVAL_MS: '500',
};

describe('a worker killed mid-operation (PostgreSQL, Redis, worker processes)', () => {
  let cluster: OperationsCluster;
  let embedder: GatedEmbedder;

  beforeAll(async () => {
    embedder = await startGatedEmbedder(HELD_TAG);
    cluster = await startOperationsCluster('services', { EMBEDDER_ALLOWED_URLS: embedder.baseUrl });
  });
  afterAll(async () => {
    await cluster?.close();
    await embedder?.close();
  });

  it('is finished by another worker with no duplicate or missing chunk', async () => {
    const first = await cluster.startWorker(FAST_RECOVERY);
    // Held in its second document: the worker dies with the operation running.
    const held = await startHeldOperation(cluster.client, embedder);
    const follow = { operationId: held.operationId };
    let lastEventId: string | undefined;
    for await (const event of followSubscription<ProgressEvent>(
      cluster.app.url,
      'operations.progress',
      follow,
      { apiKey: cluster.apiKey },
    )) {
      lastEventId = event.id;
      if (event.data.type === 'document_completed') break;
    }
    await first.kill('SIGKILL');
    const killedAt = await cluster.client.operations.get.query({ id: held.operationId });
    expect(killedAt).toMatchObject({ status: 'processing', documentsDone: 1 });

    held.release();
    const second = await cluster.startWorker(FAST_RECOVERY);
    const rest: ProgressEvent[] = [];
    for await (const event of followSubscription<ProgressEvent>(
      await cluster.secondServerUrl(),
      'operations.progress',
      { ...follow, lastEventId },
      { apiKey: cluster.apiKey },
    )) {
      rest.push(event.data);
    }
    expect(rest.map((event) => event.type)).toEqual(['document_completed', 'completed']);

    const { collectionId, documentIds, choice } = held;
    const expectedTotal = await expectExactChunks(cluster.client, collectionId, documentIds, choice);
    const operation = await cluster.client.operations.get.query({ id: held.operationId });
    expect(operation).toMatchObject({
      status: 'completed',
      documentsDone: documentIds.length,
      chunksCreated: expectedTotal,
    });
    // The takeover's log lines carry the correlation id of the apply request.
    expect(
      second.logs.some(
        (line) => line.msg === 'operation running' && line.correlationId === held.correlationId,
      ),
    ).toBe(true);
  });
});
