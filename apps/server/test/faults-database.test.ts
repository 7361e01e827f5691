import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { exceptionTranslator } from '@chunkflow/core-services';
import { openDatabase } from '@chunkflow/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionBackend, type TestBackend } from './support/backends.ts';
import {
  expectExactChunks,
  SMALL_TOKEN_CHUNKS,
  seedCollection,
  settledOperation,
} from './support/collection-checks.ts';
import { type ProcessCluster, processCluster, type ServerProcess } from './support/process-cluster.ts';
import { TcpProxy } from './support/tcp-proxy.ts';

const CHOICE = SMALL_TOKEN_CHUNKS;
const CUT_MS = 2_000;

function proxiedUrl(databaseUrl: string, proxy: { port: number }): string {
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String(proxy.port);
  return url.toString();
}

describe('the database connection cut mid-operation (TCP proxy between worker and PostgreSQL)', () => {
  let backend: TestBackend;
  let proxy: TcpProxy & { port: number };
  let cluster: ProcessCluster;
  let server: ServerProcess;
  let databaseUrl: string;

  beforeAll(async () => {
    backend = await provisionBackend('services');
    const setting = (name: string) => String(backend.environment[name]);
    databaseUrl = setting('DATABASE_URL');
    const { hostname, port } = new URL(databaseUrl);
    proxy = await TcpProxy.start(hostname, Number(port || 5432));
    cluster = processCluster({
      databaseUrl,
      redisUrl: setting('REDIS_URL'),
      keyPrefix: setting('CHUNKFLOW_KEY_PREFIX'),
      dataDir: setting('CHUNKFLOW_DATA_DIR'),
    });
    server = await cluster.startServer();
    await cluster.startWorker({ DATABASE_URL: proxiedUrl(databaseUrl, proxy), WORKER_CONCURRENCY: '1' });
  });
  afterAll(async () => {
    await cluster?.close();
    await proxy?.close();
    await backend?.cleanup();
  });

  it('translates a raw statement on a dropped connection to DEPENDENCY_UNAVAILABLE, which is retried', async () => {
    // Status transitions and chunk writes are raw SQL: Prisma reports their lost connection as P2010
    // with the driver adapter's `ConnectionClosed`, not as P1017.
    const database = await openDatabase({
      url: proxiedUrl(databaseUrl, proxy),
    });
    try {
      await database.operations.getById(randomUUID());
      proxy.cut();
      const error = await database.operations
        .transition(randomUUID(), ['pending'], 'processing')
        .catch((caught: unknown) => caught);
      expect(exceptionTranslator.translate(error).code).toBe('DEPENDENCY_UNAVAILABLE');
    } finally {
      proxy.restore();
      await database.close();
    }
  });

  it('resumes or fails cleanly and is retried, with no chunk lost or doubled', async () => {
    const { client } = server;
    const { collectionId, documentIds } = await seedCollection(client, 'database-cut', 4);
    const applied = await client.chunking.applyToCollection.mutate({ collectionId, ...CHOICE });
    await expect
      .poll(async () => (await client.operations.get.query({ id: applied.operationId })).documentsDone, {
        timeout: 60_000,
        interval: 50,
      })
      .toBeGreaterThan(0);

    const connectionsBeforeCut = proxy.connections;
    proxy.cut();
    const atCut = await client.operations.get.query({ id: applied.operationId });
    expect(atCut.status).toBe('processing');
    await delay(CUT_MS);
    proxy.restore();

    let operation = await settledOperation(client, applied.operationId);
    if (operation.status === 'failed') {
      // Failing cleanly: a typed, correlated error; applying again finishes the collection.
      expect(operation.error).toMatchObject({ code: expect.any(String), correlationId: expect.any(String) });
      const retried = await client.chunking.applyToCollection.mutate({ collectionId, ...CHOICE });
      operation = await settledOperation(client, retried.operationId);
    }
    // The worker reconnected through the proxy after the cut.
    expect(proxy.connections).toBeGreaterThan(connectionsBeforeCut);
    const expectedChunks = await expectExactChunks(client, collectionId, documentIds, CHOICE);
    expect(operation).toMatchObject({
      status: 'completed',
      documentsDone: documentIds.length,
      chunksCreated: expectedChunks,
    });
  }, 180_000);
});
