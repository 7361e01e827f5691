import { randomBytes } from 'node:crypto';
import { AuthService, type ProgressEvent } from '@chunkflow/core-services';
import { openDatabase } from '@chunkflow/db';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionBackend, type TestBackend } from './support/backends.ts';
import { expectExactChunks, settledOperation } from './support/collection-checks.ts';
import { type GatedEmbedder, startGatedEmbedder } from './support/gated-embedder.ts';
import { HELD_TAG, startHeldOperation } from './support/held-operation.ts';
import { type ProcessCluster, processClusterOn, type ServerProcess } from './support/process-cluster.ts';
import { followSubscription } from './support/sse.ts';

/** Short locks so the job of a killed worker is taken over within a second or two. */
const FAST_RECOVERY = {
  WORKER_CONCURRENCY: '1',
  WORKER_LOCK_DURATION_MS: '1000',
  WORKER_STALLED_INTERVAL_MS: '500',
};
const COMPARE_LIMIT = 3;

describe('2 servers and 2 workers on one PostgreSQL and Redis', () => {
  let backend: TestBackend;
  let cluster: ProcessCluster;
  let serverA: ServerProcess;
  let serverB: ServerProcess;
  let embedder: GatedEmbedder;

  beforeAll(async () => {
    backend = await provisionBackend('services');
    cluster = processClusterOn(backend);
    embedder = await startGatedEmbedder(HELD_TAG);
    const embedders = { EMBEDDER_ALLOWED_URLS: embedder.baseUrl };
    const limits = { ...embedders, RATE_LIMIT_COMPARE: String(COMPARE_LIMIT) };
    [serverA, serverB] = await Promise.all([cluster.startServer(limits), cluster.startServer(limits)]);
    const worker = { ...embedders, ...FAST_RECOVERY };
    await Promise.all([cluster.startWorker(worker), cluster.startWorker(worker)]);
  });
  afterAll(async () => {
    await embedder?.close();
    await cluster?.close();
    await backend?.cleanup();
  });

  it('applies through one server, streams progress through the other, and survives a killed worker', async () => {
    // Held inside its second document, so the kill lands mid-operation however fast the rest is.
    const held = await startHeldOperation(serverA.client, embedder);
    const events: ProgressEvent[] = [];
    const following = (async () => {
      for await (const event of followSubscription<ProgressEvent>(
        serverB.url,
        'operations.progress',
        { operationId: held.operationId },
        { apiKey: cluster.apiKey },
      ))
        events.push(event.data);
    })();
    const ranTheSlice = (worker: (typeof cluster.workers)[number]) =>
      worker.logs.some(
        (line) =>
          line.msg === 'operation running' && line.operationId === held.operationId && line.slice === 0,
      );
    // SIGKILL whichever worker runs the operation's slice: the other one must take it over.
    const holder = cluster.workers.find(ranTheSlice);
    const survivor = cluster.workers.find((worker) => worker !== holder);
    if (!holder || !survivor) throw new Error('no worker ran the held slice');
    await holder.kill('SIGKILL');
    held.release();

    const operation = await settledOperation(serverB.client, held.operationId);
    await following;
    expect(events.at(-1)?.type).toBe('completed');
    const expectedChunks = await expectExactChunks(
      serverB.client,
      held.collectionId,
      held.documentIds,
      held.choice,
    );
    expect(operation).toMatchObject({
      status: 'completed',
      documentsDone: held.documentIds.length,
      chunksCreated: expectedChunks,
    });
    expect(ranTheSlice(survivor)).toBe(true);
  }, 180_000);

  it('shares the preview cache: computed through one server, cached through the other', async () => {
    const request = { content: 'Shared between servers. '.repeat(100), strategy: 'sentence' as const };
    expect((await serverA.client.chunking.preview.mutate(request)).cached).toBe(false);
    const throughB = await serverB.client.chunking.preview.mutate(request);
    expect(throughB.cached).toBe(true);
  });

  it('shares rate limits: the quota spent through one server is spent for the other', async () => {
    const request = {
      content: 'Compare me. '.repeat(50),
      strategies: [{ strategy: 'fixed' as const }, { strategy: 'sentence' as const }],
    };
    for (let call = 0; call < COMPARE_LIMIT; call += 1) await serverA.client.chunking.compare.mutate(request);
    const refused = await serverB.client.chunking.compare.mutate(request).then(
      () => undefined,
      (error: { data?: { code?: string } }) => error.data?.code,
    );
    expect(refused).toBe('RATE_LIMITED');
  });

  it('lets servers start together on a fresh database: one tenant default, one bootstrap key', async () => {
    const fresh = await provisionBackend('services');
    const databases = await Promise.all(
      Array.from({ length: 6 }, () => openDatabase({ url: String(fresh.environment.DATABASE_URL) })),
    );
    try {
      await databases[0]?.migrate();
      const apiKey = `test-${randomBytes(16).toString('hex')}`;
      // Each start reads "no tenant, no key" before any of them writes.
      const logger = pino({ level: 'silent' });
      await Promise.all(
        databases.map((database) => new AuthService(database, logger).ensureBootstrapKey(apiKey)),
      );
      const auth = new AuthService(databases[0] as (typeof databases)[number], logger);
      const tenant = await auth.authenticate(apiKey);
      expect(await auth.listApiKeys('default')).toEqual([expect.objectContaining({ id: tenant.apiKeyId })]);
    } finally {
      await Promise.all(databases.map((database) => database.close()));
      await fresh.cleanup();
    }
  });
});
