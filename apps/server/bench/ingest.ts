/**
 * `pnpm bench:ingest [--documents N] [--workers 1,2] [--strategy S] [--config JSON] [--cpu-prof DIR]`:
 * ingestion at scale on the machine's PostgreSQL and Redis. Builds N documents of 2–6 KB from the
 * repository's own text (default 5,000, which `pnpm bench` runs in a few minutes; `--documents
 * 100000` is the full-scale run of docs/ingestion.md) and measures, in one run:
 * 1. loading them through the bulk API (`documents.createMany` over HTTP, batches of 500, two in
 *    flight), documents/s;
 * 2. the same rows loaded with PostgreSQL's COPY (psql `\copy` into `documents`, another
 *    collection): the floor the API is measured against;
 * 3. a tenth of them through the NDJSON import route (converted as uploads), documents/s;
 * 4. applying a strategy with each count of worker processes of `--workers`, each to a collection
 *    of its own holding the same documents (loaded the same way, untimed after the first), so that
 *    every count does the same work, a first apply: documents/s and chunks/s, while statistics of
 *    the collection are read uncached (straight from the repository) every 50 ms: their p50/p99
 *    during each operation;
 * 5. the chunks the first apply wrote, COPied into a copy of the chunks table: the apply's floor;
 * 6. the first collection re-chunked with the same strategy and the first count of workers: every
 *    document's chunks replaced and the old rows deleted.
 * Prints a table; writes bench-results/ingest.json with the machine and its load.
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs, promisify } from 'node:util';
import { type ChunkflowClient, createChunkflowClient, importBatch } from '@chunkflow/client';
import { settingsFrom } from '@chunkflow/core-services';
import { contentHashOf, openDatabase } from '@chunkflow/db';
import { copyFloor as chunksCopyFloor } from '@chunkflow/db/testing';
import { benchEnvironment, writeBenchJson } from '@chunkflow/vitest-config/environment';
import { cpuBetween, cpuSecondsOf, postgresCpuSeconds } from '@chunkflow/vitest-config/process-cpu';
import { Redis } from 'ioredis';
import pino from 'pino';
import { startApp } from '../src/app.ts';
import { type ChildApp, spawnApp } from '../test/support/processes.ts';
import { type CorpusDocument, corpusSource, ingestCorpus } from './ingest-corpus.ts';
import { type ResidentMemory, sampleResidentMemory } from './resident-memory.ts';

interface Throughput {
  documents: number;
  seconds: number;
  documentsPerSecond: number;
}

export interface IngestFigures {
  documents: number;
  strategy: string;
  config: Record<string, unknown>;
  load: Throughput;
  copy: Throughput;
  importRoute: Throughput & { refused: Record<string, number> };
  apply: (Throughput & {
    workers: number;
    chunks: number;
    chunksPerSecond: number;
    /** CPU seconds the worker processes used during the operation; null where /proc is not. */
    workerCpuSeconds: number | null;
    /**
     * CPU seconds PostgreSQL's processes used during it (the statistics reads included); null
     * when it runs elsewhere.
     */
    postgresCpuSeconds: number | null;
    statistics: {
      samples: number;
      p50Ms: number;
      p99Ms: number;
      /**
       * The server's event-loop delay (this process's), p99 during the operation: what of the
       * statistics' tail the loop explains; the rest is their round trip to PostgreSQL.
       */
      eventLoopDelayP99Ms: number;
    };
    /** Resident memory during the operation: the server (this process) and each worker. */
    memory: { server: ResidentMemory; workers: ResidentMemory[] };
  })[];
  /** The first apply's collection applied again: its chunks replaced, the old rows deleted. */
  rechunk: IngestFigures['apply'][number];
  /** The first apply's chunks taken by COPY into a copy of the chunks table, and PostgreSQL's CPU for it. */
  chunksCopy: { rows: number; rowsPerSecond: number; postgresCpuSeconds: number | null };
}

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    documents: { type: 'string', default: '5000' },
    workers: { type: 'string', default: '1,2' },
    strategy: { type: 'string', default: 'recursive' },
    config: { type: 'string', default: '{"chunkSize":400,"chunkOverlap":40}' },
    // Where the worker processes (and their chunking threads) write V8 CPU profiles.
    'cpu-prof': { type: 'string' },
  },
});
const DOCUMENTS = Number(values.documents);
if (!Number.isSafeInteger(DOCUMENTS) || DOCUMENTS < 10)
  throw new Error('--documents must be an integer ≥ 10');
const WORKER_COUNTS = values.workers.split(',').map(Number);
if (WORKER_COUNTS.some((count) => !Number.isSafeInteger(count) || count < 1))
  throw new Error('--workers must list worker counts ≥ 1, e.g. 1,2');
const STRATEGY = values.strategy as 'recursive';
const CONFIG = JSON.parse(values.config) as Record<string, unknown>;
const WORKER_NODE_ARGUMENTS = values['cpu-prof']
  ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`]
  : [];
const BATCH = 500;
const IN_FLIGHT = 2;
const STATISTICS_EVERY_MS = 50;
/** Linux's USER_HZ, the unit of /proc/<pid>/stat's CPU times. */

const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const databaseName = `chunkflow_ingest_${randomBytes(4).toString('hex')}`;
const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${databaseName}` }).toString();
const environment = {
  DATABASE_URL: databaseUrl,
  REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  CHUNKFLOW_KEY_PREFIX: `chunkflow-ingest-${randomBytes(4).toString('hex')}`,
  // The bench measures throughput, not the quotas that protect a shared server.
  RATE_LIMIT_WRITES: '0',
  RATE_LIMIT_DOCUMENTS: '0',
  RATE_LIMIT_READS: '0',
  LOG_LEVEL: 'warn',
};

const PSQL_OPTIONS = ['-v', 'ON_ERROR_STOP=1', '-q'];

function psql(url: string, args: string[]): string {
  return execFileSync('psql', [url, ...PSQL_OPTIONS, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
}

/**
 * psql without blocking this process's event loop, where the server under test runs: blocked for
 * the length of a COPY, its keep-alive timers fired late, closing connections the client was about
 * to reuse (a 100,000-document run's import then failed with ECONNRESET).
 */
async function psqlAsync(url: string, args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)('psql', [url, ...PSQL_OPTIONS, ...args], {
    encoding: 'utf8',
  });
  return stdout;
}

/** The corpus in batches, regenerated from its seed for each use (never held whole). */
function* batches(count: number, size: number): Generator<CorpusDocument[]> {
  let batch: CorpusDocument[] = [];
  for (const document of ingestCorpus(count)) {
    batch.push(document);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

async function inFlight<T>(items: Iterator<T>, count: number, run: (item: T) => Promise<void>) {
  const next = async () => {
    for (let item = items.next(); !item.done; item = items.next()) await run(item.value);
  };
  await Promise.all(Array.from({ length: count }, next));
}

/** The corpus into the collection through `documents.createMany`, as a client loads it. */
async function loadThroughBatches(client: ChunkflowClient, collectionId: string) {
  const started = performance.now();
  let created = 0;
  await inFlight(batches(DOCUMENTS, BATCH), IN_FLIGHT, async (documents) => {
    const answer = await client.documents.createMany.mutate({ collectionId, documents });
    if (answer.refused > 0)
      throw new Error(`refused: ${JSON.stringify(answer.results.find((r) => r.status === 'refused'))}`);
    created += answer.created;
  });
  const seconds = (performance.now() - started) / 1000;
  return { documents: created, seconds, documentsPerSecond: created / seconds };
}

async function loadThroughImport(url: string, apiKey: string, collectionId: string) {
  const count = Math.max(10, Math.floor(DOCUMENTS / 10));
  const started = performance.now();
  let created = 0;
  const refused = new Map<string, number>();
  await inFlight(batches(count, 200), IN_FLIGHT, async (documents) => {
    const files = documents.map(({ name, content }) => ({ name, text: content }));
    const results = importBatch({ url, apiKey, collectionId, files });
    for (let next = await results.next(); ; next = await results.next()) {
      if (next.done) {
        created += next.value.created;
        break;
      }
      if (next.value.status === 'refused') {
        const { code } = next.value.error;
        refused.set(code, (refused.get(code) ?? 0) + 1);
      }
    }
  });
  const seconds = (performance.now() - started) / 1000;
  // Items refused are reported, not hidden: the converters judge each text as an upload would.
  return {
    documents: created,
    seconds,
    documentsPerSecond: created / seconds,
    refused: Object.fromEntries(refused),
  };
}

/** COPY text format: backslash, tab, newline and carriage return escaped. */
const copyText = (value: string) =>
  value.replaceAll('\\', '\\\\').replaceAll('\t', '\\t').replaceAll('\n', '\\n').replaceAll('\r', '\\r');

/** The same rows the API stored, written by COPY FROM STDIN (psql `\copy`) into another collection. */
async function documentsCopyFloor(tenantId: string, collectionId: string) {
  const folder = mkdtempSync(join(tmpdir(), 'chunkflow-copy-'));
  const file = join(folder, 'documents.tsv');
  const now = new Date().toISOString();
  // Written row by row: 100,000 documents joined would be one string of ~400 MB.
  const out = openSync(file, 'w');
  for (const { name, content } of ingestCorpus(DOCUMENTS)) {
    const hash = contentHashOf(content);
    const bytes = Buffer.byteLength(content, 'utf8');
    writeSync(
      out,
      `${[
        tenantId,
        collectionId,
        name,
        'text/plain',
        copyText(content),
        hash,
        bytes,
        content.length,
        '{}',
        hash,
        bytes,
        '{}',
        now,
      ].join('\t')}\n`,
    );
  }
  closeSync(out);
  try {
    const output = await psqlAsync(databaseUrl, [
      '-c',
      '\\timing on',
      '-c',
      `\\copy documents (tenant_id, collection_id, name, content_type, content, content_hash, size_bytes, char_count, metadata, source_hash, source_bytes, provenance, updated_at) FROM '${file}'`,
    ]);
    const milliseconds = Number(output.match(/Time: ([\d.]+) ms/)?.[1]);
    if (!Number.isFinite(milliseconds)) throw new Error(`no timing in psql's output: ${output}`);
    return {
      documents: DOCUMENTS,
      seconds: milliseconds / 1000,
      documentsPerSecond: DOCUMENTS / (milliseconds / 1000),
    };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Removes the run's keys (queue, progress, caches) from the shared Redis. */
async function purgeKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  try {
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 500 }) as AsyncIterable<
      string[]
    >) {
      if (keys.length > 0) await redis.del(...keys);
    }
  } finally {
    redis.disconnect();
  }
}

function percentile(samples: number[], share: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? Number.NaN;
}

async function applyWith(
  workerCount: number,
  client: ChunkflowClient,
  statistics: (collectionId: string) => Promise<unknown>,
  collectionId: string,
) {
  const workers: ChildApp[] = [];
  try {
    for (let i = 0; i < workerCount; i += 1) {
      const worker = spawnApp('worker', { ...environment, LOG_LEVEL: 'info' }, WORKER_NODE_ARGUMENTS);
      workers.push(worker);
      await worker.waitForLog((line) => line.msg === 'worker started');
    }
    const samples: number[] = [];
    const eventLoopDelay = monitorEventLoopDelay({ resolution: 1 });
    eventLoopDelay.enable();
    let running = true;
    const sampling = (async () => {
      while (running) {
        const started = performance.now();
        await statistics(collectionId);
        samples.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, STATISTICS_EVERY_MS));
      }
    })();
    const pids = workers.map((worker) => worker.process.pid);
    // The server runs in this process; each worker in its own.
    const serverSampler = sampleResidentMemory(process.pid, 500);
    const workerSamplers = pids.map((pid) => sampleResidentMemory(pid as number, 500));
    const cpuBefore = cpuSecondsOf(pids);
    const postgresBefore = postgresCpuSeconds();
    const started = performance.now();
    const { operationId } = await client.chunking.applyToCollection.mutate({
      collectionId,
      strategy: STRATEGY,
      config: CONFIG,
    });
    let operation = await client.operations.get.query({ id: operationId });
    while (operation.status === 'pending' || operation.status === 'processing') {
      await new Promise((resolve) => setTimeout(resolve, 200));
      operation = await client.operations.get.query({ id: operationId });
    }
    const seconds = (performance.now() - started) / 1000;
    const cpuAfter = cpuSecondsOf(pids);
    const postgresAfter = postgresCpuSeconds();
    const memory = { server: serverSampler.stop(), workers: workerSamplers.map((sampler) => sampler.stop()) };
    running = false;
    await sampling;
    eventLoopDelay.disable();
    if (operation.status !== 'completed') throw new Error(`the operation ended ${operation.status}`);
    return {
      workers: workerCount,
      documents: operation.documentsDone,
      chunks: operation.chunksCreated,
      seconds,
      documentsPerSecond: operation.documentsDone / seconds,
      chunksPerSecond: operation.chunksCreated / seconds,
      // What the workers spent, whatever else the machine ran meanwhile.
      workerCpuSeconds: cpuBetween(cpuBefore, cpuAfter),
      postgresCpuSeconds: cpuBetween(postgresBefore, postgresAfter),
      statistics: {
        samples: samples.length,
        p50Ms: percentile(samples, 0.5),
        p99Ms: percentile(samples, 0.99),
        eventLoopDelayP99Ms: eventLoopDelay.percentile(99) / 1e6,
      },
      memory,
    };
  } finally {
    await Promise.all(workers.map((worker) => worker.kill('SIGTERM')));
  }
}

const started = benchEnvironment();
psql(adminUrl, ['-c', `CREATE DATABASE "${databaseName}"`]);
const apiKey = `bench-${randomBytes(24).toString('hex')}`;
const app = await startApp(
  settingsFrom({ ...environment, PORT: '0', HOST: '127.0.0.1', BOOTSTRAP_API_KEY: apiKey }),
  // Errors only, on stderr: stdout carries the table.
  pino({ level: 'error' }, pino.destination(2)),
);
const database = await openDatabase({ url: databaseUrl });
try {
  const client = createChunkflowClient({ url: app.url, apiKey });
  const tenant = await app.services.auth.authenticate(apiKey);
  const target = await client.collections.create.mutate({ name: 'ingest' });
  const copied = await client.collections.create.mutate({ name: 'copy floor' });
  const imported = await client.collections.create.mutate({ name: 'import route' });
  // Warm-up, untimed: the first calls load the converters, compile statements and open connections.
  const warmUp = await client.collections.create.mutate({ name: 'warm-up' });
  await client.documents.createMany.mutate({
    collectionId: warmUp.id,
    documents: [{ name: 'warm-up.md', content: '# Warm-up\n\nFirst call.' }],
  });
  for await (const _ of importBatch({
    url: app.url,
    apiKey,
    collectionId: warmUp.id,
    files: [{ name: 'warm-up-2.md', text: '# Warm-up\n\nSecond call.' }],
  })) {
  }
  corpusSource();
  console.error(`loading ${DOCUMENTS} documents…`);
  const load = await loadThroughBatches(client, target.id);
  const copy = await documentsCopyFloor(tenant.id, copied.id);
  const importRoute = await loadThroughImport(app.url, apiKey, imported.id);
  // Each count of workers applies to a collection of its own, a first apply of the same documents:
  // the first count to the loaded collection, the others to the corpus loaded again, untimed.
  const loadedAgain = async (workerCount: number) => {
    const collection = await client.collections.create.mutate({ name: `ingest, ${workerCount} workers` });
    console.error(`loading ${DOCUMENTS} documents again…`);
    await loadThroughBatches(client, collection.id);
    return collection.id;
  };
  const uncachedStatistics = (collectionId: string) =>
    database.statistics.forCollection(tenant.id, collectionId);
  const apply = [];
  for (const [index, workerCount] of WORKER_COUNTS.entries()) {
    const collectionId = index === 0 ? target.id : await loadedAgain(workerCount);
    console.error(`applying ${STRATEGY} with ${workerCount} worker(s)…`);
    apply.push(await applyWith(workerCount, client, uncachedStatistics, collectionId));
  }
  // Every apply wrote the same rows: the floor is PostgreSQL taking them by COPY.
  const chunksCopy = await chunksCopyFloor(databaseUrl, target.id, postgresCpuSeconds);
  const firstApply = apply[0];
  if (!firstApply || chunksCopy.rows !== firstApply.chunks)
    throw new Error('the floor copied other rows than the apply wrote');
  if (apply.some((run) => run.chunks !== firstApply.chunks))
    throw new Error('the applies wrote different numbers of chunks');
  console.error(`re-chunking the first collection with ${firstApply.workers} worker(s)…`);
  const rechunk = await applyWith(firstApply.workers, client, uncachedStatistics, target.id);
  const figures: IngestFigures = {
    documents: DOCUMENTS,
    strategy: STRATEGY,
    config: CONFIG,
    load,
    copy,
    importRoute,
    apply,
    chunksCopy,
    rechunk,
  };
  // CPU per chunk: what each side of the apply costs, which the machine's load moves less than rates.
  const microsPerChunk = (seconds: number | null, chunks: number) =>
    seconds === null ? null : (seconds * 1e6) / chunks;
  const rates = ({ statistics, memory: _, ...run }: IngestFigures['rechunk']) => ({
    ...run,
    workerCpuUsPerChunk: microsPerChunk(run.workerCpuSeconds, run.chunks),
    postgresCpuUsPerChunk: microsPerChunk(run.postgresCpuSeconds, run.chunks),
    statisticsP99Ms: statistics.p99Ms,
    eventLoopDelayP99Ms: statistics.eventLoopDelayP99Ms,
  });
  // The Markdown tables come from the published JSON (`pnpm bench:report`); here, the rates.
  console.table({
    'load: createMany': load,
    'floor: COPY of the documents': copy,
    'load: import route': importRoute,
    ...Object.fromEntries(apply.map((run) => [`apply, ${run.workers} worker(s)`, rates(run)])),
    "floor: COPY of the apply's chunks": {
      ...chunksCopy,
      postgresCpuUsPerChunk: microsPerChunk(chunksCopy.postgresCpuSeconds, chunksCopy.rows),
    },
    [`re-chunk, ${rechunk.workers} worker(s)`]: rates(rechunk),
  });
  writeBenchJson(join(import.meta.dirname, '../bench-results/ingest.json'), started, {
    ...figures,
    ratios: [
      {
        name: 'bulk load vs COPY floor',
        ratio: load.documentsPerSecond / copy.documentsPerSecond,
        better: 'higher',
      },
      {
        name: `apply ${firstApply.workers} worker(s) vs COPY floor of its chunks`,
        ratio: firstApply.chunksPerSecond / chunksCopy.rowsPerSecond,
        better: 'higher',
      },
    ],
  });
} finally {
  await database.close();
  await app.close();
  await purgeKeys(environment.REDIS_URL, environment.CHUNKFLOW_KEY_PREFIX);
  psql(adminUrl, ['-c', `DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`]);
}
