import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { createTestDatabase, type TestDatabase } from '@chunkflow/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, RedisProcess } from '../../../packages/redis-manager/test/support/redis-process.ts';
import {
  expectExactChunks,
  SMALL_TOKEN_CHUNKS,
  seedCollection,
  settledOperation,
} from './support/collection-checks.ts';
import { type GatedEmbedder, startGatedEmbedder } from './support/gated-embedder.ts';
import { HELD_TAG, startHeldOperation } from './support/held-operation.ts';
import { type ProcessCluster, processCluster, type ServerProcess } from './support/process-cluster.ts';

const OUTAGE_MS = 10_000;
const CHOICE = SMALL_TOKEN_CHUNKS;
const PREVIEW_CLIENTS = 4;
const PREVIEW_TEXTS = Array.from({ length: 6 }, (_, index) => `Paragraph ${index}. `.repeat(200));

interface PreviewOutcome {
  status: number;
  cached: boolean | undefined;
  duringOutage: boolean;
}

describe('Redis stops for 10 s (private redis-server, PostgreSQL, server and worker processes)', () => {
  let redis: RedisProcess;
  let database: TestDatabase;
  let dataDir: string;
  let cluster: ProcessCluster;
  let server: ServerProcess;
  let embedder: GatedEmbedder;

  beforeAll(async () => {
    const port = await freePort();
    // Append-only with fsync per write: after the restart Redis holds the queue it held before.
    redis = await RedisProcess.start({
      args: [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
      ],
    });
    database = await createTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'chunkflow-faults-'));
    cluster = processCluster({ databaseUrl: database.url, redisUrl: `redis://127.0.0.1:${port}`, dataDir });
    embedder = await startGatedEmbedder(HELD_TAG);
    const embedderAllowed = { EMBEDDER_ALLOWED_URLS: embedder.baseUrl };
    // Previews are sent back to back: the test is about Redis, not the preview quota.
    server = await cluster.startServer({ ...embedderAllowed, RATE_LIMIT_PREVIEW: '100000' });
    await cluster.startWorker({ ...embedderAllowed, WORKER_CONCURRENCY: '1' });
  });
  afterAll(async () => {
    await cluster?.close();
    await redis?.stop();
    await embedder?.close();
    await database?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps previews answering, refuses apply with 503 while Redis is known down, and completes the running operation once', async () => {
    const { client } = server;
    // Applied during the outage on another collection: one active operation per collection.
    const other = await seedCollection(client, 'redis-outage-apply', 1);
    // Held in its second document: the operation is running when Redis goes.
    const running = await startHeldOperation(client, embedder);

    let outage = false;
    let previewing = true;
    const outcomes: PreviewOutcome[] = [];
    // A few clients previewing back to back, over the outage and after it.
    const previewClient = async (client: number) => {
      for (let round = client; previewing; round += 1) {
        const response = await fetch(`${server.url}/api/v2/chunking/preview`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${cluster.apiKey}` },
          body: JSON.stringify({
            content: PREVIEW_TEXTS[round % PREVIEW_TEXTS.length],
            strategy: 'recursive',
          }),
        });
        const body = (await response.json()) as { cached?: boolean };
        outcomes.push({ status: response.status, cached: body.cached, duringOutage: outage });
      }
    };
    const previewLoads = Promise.all(
      Array.from({ length: PREVIEW_CLIENTS }, (_, client) => previewClient(client)),
    );

    await redis.kill();
    outage = true;
    // Its progress is read from PostgreSQL: mid-way, and it goes on during the outage.
    const atOutage = await client.operations.get.query({ id: running.operationId });
    expect(atOutage).toMatchObject({ status: 'processing', documentsDone: 1 });
    running.release();
    // Once the server knows Redis is gone (its readiness says so), an apply cannot be queued.
    await expect
      .poll(async () => (await fetch(`${server.url}/readyz`)).status, { timeout: OUTAGE_MS, interval: 100 })
      .toBe(503);
    const applyDuringOutage = await fetch(`${server.url}/api/v2/chunking/apply`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${cluster.apiKey}` },
      body: JSON.stringify({ collectionId: other.collectionId, ...CHOICE }),
    });
    const applyBody = (await applyDuringOutage.json()) as {
      operationId?: string;
      error?: { code: string; correlationId: string };
    };
    await delay(OUTAGE_MS);
    await redis.restart();
    outage = false;
    // Previews go on until the server knows Redis is back (readiness says so): queuing works again.
    await expect
      .poll(async () => (await fetch(`${server.url}/readyz`)).status, { timeout: OUTAGE_MS, interval: 100 })
      .toBe(200);
    previewing = false;
    await previewLoads;

    // Previews never failed; during the outage they were computed, not read from the cache.
    expect(outcomes.filter((outcome) => outcome.status !== 200)).toEqual([]);
    const duringOutage = outcomes.filter((outcome) => outcome.duringOutage);
    expect(duringOutage.length).toBeGreaterThan(0);
    expect(duringOutage.every((outcome) => outcome.cached === false)).toBe(true);

    expect(applyDuringOutage.status).toBe(503);
    expect(applyDuringOutage.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(applyBody.error).toMatchObject({
      code: 'DEPENDENCY_UNAVAILABLE',
      correlationId: expect.any(String),
    });
    // Refused, not half-recorded: the collection can be applied to once Redis is back.
    const afterOutage = await client.chunking.applyToCollection.mutate({
      collectionId: other.collectionId,
      ...CHOICE,
    });
    expect((await settledOperation(client, afterOutage.operationId)).status).toBe('completed');

    const operation = await settledOperation(client, running.operationId);
    const { collectionId, documentIds, choice } = running;
    const expectedChunks = await expectExactChunks(client, collectionId, documentIds, choice);
    expect(operation).toMatchObject({
      status: 'completed',
      documentsTotal: documentIds.length,
      documentsDone: documentIds.length,
      chunksCreated: expectedChunks,
    });
  }, 180_000);
});
