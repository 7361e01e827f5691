/**
 * Benchmarks of background operations on the machine's PostgreSQL and Redis (opt-in: `pnpm bench`).
 * 1. Apply throughput: chunks persisted per second, service call → BullMQ → worker process(es) →
 *    PostgreSQL, for one operation over BENCH_APPLY_DOCUMENTS documents of ~10 KB (`recursive`
 *    400/0), with 1 worker process and with 2 sharing it; against the floor, COPY of the same rows
 *    into a copy of the chunks table in the same run; the RSS of this process (the server) and of
 *    the workers through the run.
 * 2. Statistics on a large seeded dataset: uncached, cached, and a naive per-document/per-status
 *    loop (the N+1 the aggregation replaces), as latencies and ratios.
 * Results: bench-results/operations.json. Worker processes and a seeded database: a script, not a
 * bench suite; `pnpm bench` starts it.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import {
  type AuthenticatedTenant,
  createServerServices,
  openBackends,
  type Services,
  settingsFrom,
} from '@chunkflow/core-services';
import { copyFloor } from '@chunkflow/db/testing';
import { benchEnvironment, writeBenchJson } from '@chunkflow/vitest-config/environment';
import pino from 'pino';
import { sampleRss } from './rss-sampler.ts';
import { spawnWorkers } from './workers.ts';

const SCALE = {
  collections: Number(process.env.BENCH_COLLECTIONS ?? 1000),
  operations: Number(process.env.BENCH_OPERATIONS ?? 1_000_000),
  documents: Number(process.env.BENCH_DOCUMENTS ?? 10_000),
  chunks: Number(process.env.BENCH_CHUNKS ?? 1_000_000),
};
const APPLY_DOCUMENTS = Number(process.env.BENCH_APPLY_DOCUMENTS ?? 2_000);
/** Characters per applied document: the ~10 KB of the figures the issue was measured with. */
const APPLY_DOCUMENT_CHARS = 10_000;
const APPLY_CHOICE = { strategy: 'recursive', config: { chunkSize: 400, chunkOverlap: 0 } };
const STATISTICS_ROUNDS = 30;
const repositoryRoot = join(import.meta.dirname, '../../..');
const logger = pino({ level: 'warn' });

const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const databaseName = `chunkflow_bench_${randomBytes(4).toString('hex')}`;
const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${databaseName}` }).toString();
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const keyPrefix = `chunkflow-bench-${randomBytes(4).toString('hex')}`;
const environment = {
  DATABASE_URL: databaseUrl,
  REDIS_URL: redisUrl,
  CHUNKFLOW_KEY_PREFIX: keyPrefix,
  LOG_LEVEL: 'warn',
};

function psql(url: string, args: string[]): void {
  execFileSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-q', ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

function sourceTexts(): string[] {
  const folders = [
    'packages/chunkers/src',
    'packages/core-services/src',
    'packages/db/src',
    'packages/mempool/src',
  ];
  const files = folders.flatMap((folder) =>
    (readdirSync(join(repositoryRoot, folder), { recursive: true }) as string[])
      .filter((name) => name.endsWith('.ts'))
      .map((name) => join(repositoryRoot, folder, name)),
  );
  return files.map((file) => readFileSync(file, 'utf8')).filter((text) => text.length > 2000);
}

/**
 * Polls the operation until it ends; also answers when its first batch was seen written, so a run
 * can be split into start-up (the job taken, chunking threads loading the engine) and the rest.
 */
async function waitForEnd(services: Services, tenant: AuthenticatedTenant, operationId: string) {
  let firstWritten: { at: number; chunks: number } | undefined;
  for (;;) {
    const operation = await services.operations.get(tenant, operationId);
    if (!firstWritten && operation.chunksCreated > 0)
      firstWritten = { at: performance.now(), chunks: operation.chunksCreated };
    if (operation.status !== 'pending' && operation.status !== 'processing')
      return { operation, firstWritten };
    await delay(50);
  }
}

/** One operation over a collection, run by `workerCount` worker processes sharing its slices. */
async function applyThroughput(
  services: Services,
  tenant: AuthenticatedTenant,
  workerCount: number,
  collectionId: string,
) {
  const workers = await spawnWorkers(workerCount, environment);
  const rss = sampleRss({
    server: process.pid,
    ...Object.fromEntries(workers.map((worker, index) => [`worker ${index + 1}`, worker.pid])),
  });
  try {
    const started = performance.now();
    const { operationId } = await services.operations.apply(tenant, { collectionId, ...APPLY_CHOICE });
    const { operation, firstWritten } = await waitForEnd(services, tenant, operationId);
    const ended = performance.now();
    const seconds = (ended - started) / 1000;
    if (operation.status !== 'completed') throw new Error(`the operation ended ${operation.status}`);
    const afterFirstBatch = firstWritten && {
      seconds: (ended - firstWritten.at) / 1000,
      chunksPerSecond: (operation.chunksCreated - firstWritten.chunks) / ((ended - firstWritten.at) / 1000),
    };
    return {
      workers: workerCount,
      documents: operation.documentsDone,
      chunks: operation.chunksCreated,
      seconds,
      chunksPerSecond: operation.chunksCreated / seconds,
      // Without the start-up: from the first batch seen written to the end.
      afterFirstBatch,
      rssMiB: rss.stop(),
    };
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()));
  }
}

/** About APPLY_DOCUMENT_CHARS of source text, different for every `index`. */
function applyDocument(texts: readonly string[], index: number): string {
  let content = `// document ${index}\n`;
  for (let part = index; content.length < APPLY_DOCUMENT_CHARS; part += 1) {
    content += `${texts[part % texts.length]}\n\n`;
  }
  return content.slice(0, APPLY_DOCUMENT_CHARS);
}

async function timeMs(rounds: number, run: () => Promise<unknown>) {
  const samples: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return {
    medianMs: samples[Math.floor(samples.length / 2)] ?? Number.NaN,
    p95Ms: samples[Math.floor(samples.length * 0.95)] ?? Number.NaN,
  };
}

/** What statistics cost before the aggregation: a query per document and per status, paging through rows. */
async function naiveStatistics(services: Services, tenant: AuthenticatedTenant, collectionId: string) {
  let chunks = 0;
  let documentCursor: string | undefined;
  do {
    const documents = await services.documents.list(tenant, {
      collectionId,
      limit: 100,
      cursor: documentCursor,
    });
    for (const document of documents.items) {
      let cursor: string | undefined;
      do {
        const page = await services.chunks.list(tenant, {
          collectionId,
          documentId: document.id,
          limit: 100,
          cursor,
        });
        chunks += page.items.length;
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    }
    documentCursor = documents.nextCursor ?? undefined;
  } while (documentCursor);
  const byStatus: Record<string, number> = {};
  for (const status of ['pending', 'processing', 'completed', 'failed', 'cancelled'] as const) {
    let cursor: string | undefined;
    byStatus[status] = 0;
    do {
      const page = await services.operations.list(tenant, { collectionId, status, limit: 100, cursor });
      byStatus[status] += page.items.length;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
  return { chunks, byStatus };
}

const started = benchEnvironment();
psql(adminUrl, ['-c', `CREATE DATABASE "${databaseName}"`]);
const settings = settingsFrom({
  DATABASE_URL: databaseUrl,
  REDIS_URL: redisUrl,
  CHUNKFLOW_DATA_DIR: '/tmp',
  CHUNKFLOW_KEY_PREFIX: keyPrefix,
});
const backends = await openBackends(settings, logger);
try {
  await backends.database.migrate();
  const services = createServerServices({ ...backends, settings, logger });
  const tenant = await services.auth.authenticate(await services.auth.createApiKey('apply-bench', 'bench'));

  // One collection per run, with the same documents: each run chunks them for the first time.
  const texts = sourceTexts();
  const collections = [];
  for (const workerCount of [1, 2]) {
    const collection = await services.collections.create(tenant, { name: `apply ${workerCount}` });
    for (let index = 0; index < APPLY_DOCUMENTS; index += 1) {
      const content = applyDocument(texts, index);
      await services.documents.create(tenant, collection.id, { name: `doc-${index}`, content });
    }
    collections.push({ workerCount, collectionId: collection.id });
  }
  const apply = [];
  for (const { workerCount, collectionId } of collections)
    apply.push(await applyThroughput(services, tenant, workerCount, collectionId));
  const floor = await copyFloor(databaseUrl, collections[0]?.collectionId ?? '');
  const oneWorker = apply[0];
  if (!oneWorker || floor.rows !== oneWorker.chunks)
    throw new Error('the floor copied other rows than the run wrote');
  console.log('apply', apply, 'floor', floor);
  const ratios = [
    {
      name: 'apply throughput 1 worker vs floor: COPY of the same rows into a copy of the chunks table',
      ratio: oneWorker.chunksPerSecond / floor.rowsPerSecond,
      better: 'higher',
    },
  ];

  const seedStarted = performance.now();
  execFileSync(
    'psql',
    [
      databaseUrl,
      '-v',
      'ON_ERROR_STOP=1',
      '-q',
      ...Object.entries(SCALE).flatMap(([key, value]) => ['-v', `${key}=${value}`]),
      '-f',
      join(import.meta.dirname, 'seed.sql'),
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const benchTenant = await services.auth.authenticate(await services.auth.createApiKey('bench', 'bench'));
  const page = await services.collections.list(benchTenant, { limit: 1 });
  const target = page.items[0];
  if (!target) throw new Error('seeding made no collection');

  const uncached = await timeMs(STATISTICS_ROUNDS, () =>
    backends.database.statistics.forCollection(benchTenant.id, target.id),
  );
  await services.statistics.forCollection(benchTenant, target.id);
  const cached = await timeMs(STATISTICS_ROUNDS, () =>
    services.statistics.forCollection(benchTenant, target.id),
  );
  const naive = await timeMs(3, () => naiveStatistics(services, benchTenant, target.id));
  const statistics = {
    dataset: SCALE,
    seedSeconds,
    uncached,
    cached,
    naiveLoop: naive,
    naiveOverUncached: naive.medianMs / uncached.medianMs,
    uncachedOverCached: uncached.medianMs / cached.medianMs,
    cacheHitRate: services.statistics.stats().hitRate,
  };
  console.log('statistics', statistics);
  writeBenchJson(join(import.meta.dirname, '../bench-results/operations.json'), started, {
    apply,
    copyFloor: floor,
    statistics,
    ratios,
  });
} finally {
  await backends.redis?.queue.purgeKeys();
  await backends.close();
  psql(adminUrl, ['-c', `DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`]);
}
