import type { ProgressEvent } from '@chunkflow/core-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectExactChunks } from './support/collection-checks.ts';
import { realDocuments } from './support/documents.ts';
import { type OperationsCluster, startOperationsCluster } from './support/operations-cluster.ts';
import { followSubscription } from './support/sse.ts';

/** Short locks so a dead worker's job is taken over within a second or two. */
const FAST_RECOVERY = {
  WORKER_CONCURRENCY: '1',
  WORKER_LOCK_DURATION_MS: '1000',
  WORKER_STALLED_INTERVAL_MS: '500',
};
const STRATEGY = { strategy: 'fixed', config: { chunkSize: 64, chunkOverlap: 8, sizeUnit: 'tokens' } };

describe('a worker killed mid-operation (PostgreSQL, Redis, worker processes)', () => {
  let cluster: OperationsCluster;
  let collectionId: string;
  const documentIds: string[] = [];

  beforeAll(async () => {
    cluster = await startOperationsCluster('services');
    collectionId = (await cluster.client.collections.create.mutate({ name: 'recovery' })).id;
    const sources = realDocuments();
    for (let copy = 0; copy < 4; copy += 1) {
      for (const source of sources) {
        const content = `${source.content}\n\ncopy ${copy}\n`;
        const created = await cluster.client.documents.create.mutate({
          collectionId,
          name: `${copy}/${source.name}`,
          content,
        });
        documentIds.push(created.id);
      }
    }
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it('is finished by another worker with no duplicate or missing chunk', async () => {
    const first = await cluster.startWorker(FAST_RECOVERY);
    const applied = await cluster.client.chunking.applyToCollection.mutate({ collectionId, ...STRATEGY });
    const follow = { operationId: applied.operationId };
    let lastEventId: string | undefined;
    for await (const event of followSubscription<ProgressEvent>(
      cluster.app.url,
      'operations.progress',
      follow,
      {
        apiKey: cluster.apiKey,
      },
    )) {
      lastEventId = event.id;
      if (event.data.type === 'document_completed' && event.data.documentsDone >= 3) break;
    }
    await first.kill('SIGKILL');
    const killedAt = await cluster.client.operations.get.query({ id: applied.operationId });
    expect(killedAt.status).toBe('processing');
    expect(killedAt.documentsDone).toBeLessThan(documentIds.length);

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
    expect(rest.at(-1)?.type).toBe('completed');

    const expectedTotal = await expectExactChunks(cluster.client, collectionId, documentIds, STRATEGY);
    const operation = await cluster.client.operations.get.query({ id: applied.operationId });
    expect(operation).toMatchObject({
      status: 'completed',
      documentsDone: documentIds.length,
      chunksCreated: expectedTotal,
    });
    // The takeover's log lines carry the correlation id of the apply request.
    expect(
      second.logs.some(
        (line) => line.msg === 'operation running' && line.correlationId === applied.correlationId,
      ),
    ).toBe(true);
  });
});
