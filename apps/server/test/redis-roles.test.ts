import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProgressEvent } from '@chunkflow/core-services';
import { createTestDatabase, type TestDatabase } from '@chunkflow/db/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisProcess } from '../../../packages/redis-manager/test/support/redis-process.ts';
import {
  expectExactChunks,
  SMALL_TOKEN_CHUNKS,
  seedCollection,
  settledOperation,
} from './support/collection-checks.ts';
import { type ProcessCluster, processCluster, type ServerProcess } from './support/process-cluster.ts';
import { followSubscription } from './support/sse.ts';

const CHOICE = SMALL_TOKEN_CHUNKS;
/** Small enough that the flood overflows it many times over. */
const CACHE_MAXMEMORY_BYTES = 4 * 2 ** 20;
const COLLECTIONS = 3;
const PREVIEW_CLIENTS = 2;
const COMPARE_LIMIT = 5;
const COMPARE_CALLS = 12;

/** A distinct ~12 KB document per preview, so every preview is a new cache entry. */
const floodText = (round: number) =>
  Array.from(
    { length: 60 },
    (_, line) => `Flood ${round} line ${line}: ${'lorem ipsum dolor '.repeat(10)}`,
  ).join('\n\n');

/** A numeric field of a server's INFO (stats and memory sections). */
async function serverInfo(url: string, field: 'evicted_keys' | 'used_memory'): Promise<number> {
  const redis = new Redis(url);
  try {
    const info = `${await redis.info('stats')}\n${await redis.info('memory')}`;
    const line = info.split('\n').find((text) => text.startsWith(`${field}:`));
    return Number(line?.slice(field.length + 1));
  } finally {
    redis.disconnect();
  }
}

/** Starts an app with this environment and resolves with its exit code, log lines and standard error. */
async function refusedStart(app: 'server' | 'worker', environment: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: join(import.meta.dirname, '../..', app),
    env: { ...process.env, ...environment, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (data: Buffer) => {
    stdout += data.toString();
  });
  child.stderr?.on('data', (data: Buffer) => {
    stderr += data.toString();
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

/** Follows an operation's progress over SSE: `open` once the first event arrived, `events` when it ends. */
function follow(url: string, apiKey: string, operationId: string) {
  let opened = () => {};
  const open = new Promise<void>((resolve) => {
    opened = resolve;
  });
  const events = (async () => {
    const seen: ProgressEvent[] = [];
    try {
      for await (const event of followSubscription<ProgressEvent>(
        url,
        'operations.progress',
        { operationId },
        { apiKey },
      )) {
        seen.push(event.data);
        opened();
      }
      return seen;
    } finally {
      opened();
    }
  })();
  return { open, events };
}

describe('Redis by role: a queue Redis and a small allkeys-lru cache Redis (private redis-servers)', () => {
  let queueRedis: RedisProcess & { port: number };
  let cacheRedis: RedisProcess & { port: number };
  let queueUrl: string;
  let cacheUrl: string;
  let database: TestDatabase;
  let dataDir: string;
  let cluster: ProcessCluster;
  let server: ServerProcess;

  beforeAll(async () => {
    [queueRedis, cacheRedis] = await Promise.all([
      RedisProcess.standalone(['--maxmemory-policy', 'noeviction']),
      RedisProcess.standalone([
        '--maxmemory',
        String(CACHE_MAXMEMORY_BYTES),
        '--maxmemory-policy',
        'allkeys-lru',
      ]),
    ]);
    queueUrl = `redis://127.0.0.1:${queueRedis.port}`;
    cacheUrl = `redis://127.0.0.1:${cacheRedis.port}`;
    database = await createTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'chunkflow-redis-roles-'));
    cluster = processCluster({ databaseUrl: database.url, redisUrl: queueUrl, dataDir });
    const roles = { REDIS_CACHE_URL: cacheUrl };
    server = await cluster.startServer({
      ...roles,
      // The flood is about Redis memory, not the preview quota; compare calls are the quota under test.
      RATE_LIMIT_PREVIEW: '0',
      RATE_LIMIT_READS: '0',
      RATE_LIMIT_COMPARE: String(COMPARE_LIMIT),
      // Long enough that no admission slides out of the window while the test runs.
      RATE_LIMIT_WINDOW_SECONDS: '3600',
      // Every preview goes to the cache Redis, none is kept in the server's own memory.
      PREVIEW_LOCAL_CACHE_MB: '0',
    });
    await cluster.startWorker({ ...roles, WORKER_CONCURRENCY: '2' });
  }, 120_000);
  afterAll(async () => {
    await cluster?.close();
    await Promise.all([queueRedis?.stop(), cacheRedis?.stop()]);
    await database?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('starts without a memory-policy warning when each role has the Redis it needs', () => {
    const processes = [server.child, ...cluster.workers];
    for (const child of processes) {
      expect(child.logs.filter((line) => line.redis === 'memory-policy')).toEqual([]);
    }
  });

  it('loses no job, progress event or rate-limit decision while previews flood the cache Redis', async () => {
    const { client } = server;
    const collections = await Promise.all(
      Array.from({ length: COLLECTIONS }, (_, index) => seedCollection(client, `flooded-${index}`, 2)),
    );
    const applied = await Promise.all(
      collections.map(({ collectionId }) =>
        client.chunking.applyToCollection.mutate({ collectionId, ...CHOICE }),
      ),
    );
    // Every operation followed live over SSE; the flood starts once every stream is open.
    const followed = applied.map(({ operationId }) => follow(server.url, cluster.apiKey, operationId));
    await Promise.all(followed.map(({ open }) => open));

    let settled = false;
    let previewBytes = 0;
    let previewsWhileRunning = 0;
    const previewStatuses: number[] = [];
    const previewClient = async (first: number) => {
      // Until the operations are over and the previews sent are several times the cache's memory.
      for (
        let round = first;
        !settled || previewBytes < 4 * CACHE_MAXMEMORY_BYTES;
        round += PREVIEW_CLIENTS
      ) {
        const response = await fetch(`${server.url}/api/v2/chunking/preview`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${cluster.apiKey}` },
          body: JSON.stringify({ content: floodText(round), strategy: 'recursive' }),
        });
        previewBytes += (await response.arrayBuffer()).byteLength;
        previewStatuses.push(response.status);
        if (!settled) previewsWhileRunning += 1;
      }
    };
    const flood = Promise.all(Array.from({ length: PREVIEW_CLIENTS }, (_, first) => previewClient(first)));

    // Rate-limit decisions taken during the flood: exactly the limit admitted, the rest refused.
    const compareRequest = {
      content: 'Compare me while the cache floods. '.repeat(40),
      strategies: [{ strategy: 'fixed' as const }, { strategy: 'sentence' as const }],
    };
    const compareOutcomes: string[] = [];
    for (let call = 0; call < COMPARE_CALLS; call += 1) {
      compareOutcomes.push(
        await client.chunking.compare.mutate(compareRequest).then(
          () => 'admitted',
          (error: { data?: { code?: string } }) => error.data?.code ?? 'unknown',
        ),
      );
    }

    const operations = await Promise.all(
      applied.map(({ operationId }) => settledOperation(client, operationId)),
    );
    const progress = await Promise.all(followed.map(({ events }) => events));
    settled = true;
    await flood;

    expect(previewStatuses.filter((status) => status !== 200)).toEqual([]);
    expect(previewsWhileRunning).toBeGreaterThan(0);
    expect(compareOutcomes.filter((outcome) => outcome === 'admitted')).toHaveLength(COMPARE_LIMIT);
    expect(compareOutcomes.slice(COMPARE_LIMIT)).toEqual(
      Array.from({ length: COMPARE_CALLS - COMPARE_LIMIT }, () => 'RATE_LIMITED'),
    );

    const queue = new Redis(queueUrl);
    try {
      for (const [index, operation] of operations.entries()) {
        const { collectionId, documentIds } = collections[index] as (typeof collections)[number];
        const expectedChunks = await expectExactChunks(client, collectionId, documentIds, CHOICE);
        expect(operation).toMatchObject({
          status: 'completed',
          documentsDone: documentIds.length,
          chunksCreated: expectedChunks,
        });
        // Live: started, documents done only growing (a busy writer's events are coalesced), completed
        // with every document; and the log in the queue Redis holds exactly what was followed.
        const events = progress[index] as ProgressEvent[];
        expect(events[0]?.type).toBe('started');
        expect(events.at(-1)).toMatchObject({ type: 'completed', documentsDone: documentIds.length });
        const done = events
          .slice(1, -1)
          .map((event) => (event.type === 'document_completed' ? event.documentsDone : -1));
        expect(done.every((count, at) => count > (done[at - 1] ?? 0))).toBe(true);
        const [logKey] = await queue.keys(
          `${cluster.environment.CHUNKFLOW_KEY_PREFIX}:progress:*${operation.id}*`,
        );
        expect(await queue.xlen(String(logKey))).toBe(events.length);
      }
    } finally {
      queue.disconnect();
    }

    // The flood overflowed the cache Redis, which evicted previews and stayed within its memory;
    // the queue Redis evicted nothing.
    expect(await serverInfo(cacheUrl, 'evicted_keys')).toBeGreaterThan(0);
    expect(await serverInfo(cacheUrl, 'used_memory')).toBeLessThanOrEqual(CACHE_MAXMEMORY_BYTES);
    expect(await serverInfo(queueUrl, 'evicted_keys')).toBe(0);
  }, 300_000);

  it('refuses to start a server or a worker on a queue Redis that may evict, saying how to fix it, and warns about the cache', async () => {
    const environment = {
      DATABASE_URL: database.url,
      CHUNKFLOW_DATA_DIR: dataDir,
      CHUNKFLOW_KEY_PREFIX: `chunkflow-refused-${randomBytes(4).toString('hex')}`,
      REDIS_URL: queueUrl,
      REDIS_QUEUE_URL: cacheUrl,
    };
    // The cache falls on REDIS_URL's server, an unbounded noeviction one: warned about before the refusal.
    const warnings = {
      server: 'The cache Redis is also the limits Redis',
      worker: 'has maxmemory-policy noeviction: once full, cache writes fail',
    };
    for (const app of ['server', 'worker'] as const) {
      const { code, stdout, stderr } = await refusedStart(app, environment);
      expect(code).not.toBe(0);
      expect(stdout).toContain(warnings[app]);
      expect(stderr).toMatch(
        /The queue Redis \(redis:\/\/127\.0\.0\.1:\d+\/0\) has maxmemory-policy allkeys-lru/,
      );
      expect(stderr).toContain('point REDIS_QUEUE_URL at a Redis that does not evict');
    }
  }, 120_000);
});
