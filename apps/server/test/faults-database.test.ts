import { randomUUID } from 'node:crypto';
import { exceptionTranslator } from '@chunkflow/core-services';
import { openDatabase } from '@chunkflow/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionBackend, type TestBackend } from './support/backends.ts';
import { expectExactChunks, settledOperation } from './support/collection-checks.ts';
import { type GatedEmbedder, startGatedEmbedder } from './support/gated-embedder.ts';
import { HELD_TAG, startHeldOperation } from './support/held-operation.ts';
import { type ProcessCluster, processCluster, type ServerProcess } from './support/process-cluster.ts';
import type { ChildApp } from './support/processes.ts';
import { TcpProxy } from './support/tcp-proxy.ts';

/** What a worker logs when an attempt of an operation ends in an error: retried, or final. */
const ATTEMPT_ENDS = ['operation attempt failed; will retry', 'operation failed'];
/** What a worker logs when the failure of a job it gave up on could not be written. */
const RECORDING_ENDS = ['failure not recorded yet; will retry', 'could not record a failed job'];

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
  let worker: ChildApp;
  let embedder: GatedEmbedder;
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
    embedder = await startGatedEmbedder(HELD_TAG);
    const embedderAllowed = { EMBEDDER_ALLOWED_URLS: embedder.baseUrl };
    server = await cluster.startServer(embedderAllowed);
    worker = await cluster.startWorker({
      ...embedderAllowed,
      DATABASE_URL: proxiedUrl(databaseUrl, proxy),
      WORKER_CONCURRENCY: '1',
    });
  });
  afterAll(async () => {
    await cluster?.close();
    await proxy?.close();
    await embedder?.close();
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

  it('fails the attempt an outage hits, and the retry after it resumes the same operation with no chunk lost or doubled', async () => {
    const { client } = server;
    // Held in its second document: the operation is running when the connection goes.
    const held = await startHeldOperation(client, embedder);
    const connectionsBeforeCut = proxy.connections;
    proxy.cut();
    held.release();
    // The held document's chunks meet the cut connection: that attempt fails as transient.
    const attemptEnd = await worker.waitForLog(
      (line) => line.operationId === held.operationId && ATTEMPT_ENDS.includes(String(line.msg)),
    );
    expect(attemptEnd.msg).toBe('operation attempt failed; will retry');
    // Back before the first retry (1 s later): that retry finds the database and finishes.
    proxy.restore();

    const operation = await settledOperation(client, held.operationId);
    // The worker reconnected through the proxy after the cut.
    expect(proxy.connections).toBeGreaterThan(connectionsBeforeCut);
    const expectedChunks = await expectExactChunks(client, held.collectionId, held.documentIds, held.choice);
    expect(operation).toMatchObject({
      status: 'completed',
      documentsDone: held.documentIds.length,
      chunksCreated: expectedChunks,
    });
  }, 120_000);

  it('fails an operation whose every attempt an outage outlasts, once the database is back, with a typed error; applying again finishes it', async () => {
    const { client } = server;
    const held = await startHeldOperation(client, embedder);
    proxy.cut();
    held.release();
    // Every attempt fails (the queue gives up), and the failure cannot be written while the cut lasts.
    const recording = await worker.waitForLog(
      (line) => line.operationId === held.operationId && RECORDING_ENDS.includes(String(line.msg)),
    );
    expect(recording.msg).toBe('failure not recorded yet; will retry');
    proxy.restore();

    const failed = await settledOperation(client, held.operationId);
    expect(failed).toMatchObject({
      status: 'failed',
      documentsDone: 1,
      error: { code: 'DEPENDENCY_UNAVAILABLE', correlationId: held.correlationId },
    });
    const again = await client.chunking.applyToCollection.mutate({
      collectionId: held.collectionId,
      ...held.choice,
    });
    const operation = await settledOperation(client, again.operationId);
    const expectedChunks = await expectExactChunks(client, held.collectionId, held.documentIds, held.choice);
    expect(operation).toMatchObject({
      status: 'completed',
      documentsDone: held.documentIds.length,
      chunksCreated: expectedChunks,
    });
  }, 120_000);
});
