/**
 * What the chunks' foreign keys cost a write (docs/ingestion.md): the same work on the schema
 * before `20261207190000_chunks_keyed_by_set` (two keys per chunk, to its document and to its set,
 * and a document_id index) and on the current one (one key, to its set with its document), each in
 * a scratch database on the machine's PostgreSQL, rounds alternating between the two.
 * - A round: a new collection of BENCH_CHUNK_KEYS_DOCUMENTS documents (default 3,000) given 15
 *   chunks each by one operation batch through the chunk repository (the worker's path: one
 *   transaction locking the documents, a new set each filled by one COPY, the summaries), then
 *   re-chunked the same way (a second batch; its retired sets are deleted after, their rows by
 *   the foreign key's cascade); then the COPY floor of the collection's rows (copy-floor.ts).
 * - Reported: µs per chunk of the batch transaction (first write and re-chunk), of the retired
 *   sets' delete, and of the floor, medians of BENCH_CHUNK_KEYS_ROUNDS rounds (default 5); and the
 *   CPU time PostgreSQL's backends spent on each batch, its retired sets' delete included, per
 *   chunk (from /proc: the server runs on this machine), which other jobs on the machine move
 *   less than the elapsed time.
 * `pnpm --filter @chunkflow/db run bench:chunk-keys`; writes bench-results/chunk-keys.json.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { benchEnvironment, writeBenchJson } from '@chunkflow/vitest-config/environment';
import { processCpuSeconds } from '@chunkflow/vitest-config/process-cpu';
import pg from 'pg';
import { type Database, openDatabase } from '../src/index.ts';
import { copyFloor, createTestDatabase, migrationsBefore, type TestDatabase } from '../src/testing.ts';
import { benchChunks, CHUNK_TEXT } from './bench-chunks.ts';

const DOCUMENTS = Number(process.env.BENCH_CHUNK_KEYS_DOCUMENTS ?? 3_000);
const ROUNDS = Number(process.env.BENCH_CHUNK_KEYS_ROUNDS ?? 5);
const CHUNKS_PER_DOCUMENT = 15;
/** Most documents one createMany takes. */
const CREATE_DOCUMENTS = 500;
const KEYED_BY_SET = '_chunks_keyed_by_set';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

interface Schema {
  name: string;
  database: TestDatabase;
  db: Database;
  tenantId: string;
  /** A connection of its own, to find the database's backends. */
  admin: pg.Client;
}

/** CPU seconds each backend of the database (this connection's aside) has used so far. */
async function backendCpu(admin: pg.Client): Promise<Map<number, number>> {
  const { rows } = await admin.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
  );
  const cpu = new Map<number, number>();
  for (const { pid } of rows) cpu.set(pid, processCpuSeconds(pid) ?? 0);
  return cpu;
}

/** CPU seconds the database's backends spent between two readings (a backend opened since counts whole). */
function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let seconds = 0;
  for (const [pid, used] of after) seconds += used - (before.get(pid) ?? 0);
  return seconds;
}

async function openSchema(name: string, migrationsDir?: string): Promise<Schema> {
  const database = await createTestDatabase();
  const db = await openDatabase({ url: database.url, migrationsDir });
  await db.migrate();
  const { id: tenantId } = await db.tenants.ensureTenant('bench');
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  return { name, database, db, tenantId, admin };
}

/**
 * One operation batch of every document of the collection: µs per chunk of its transaction and of
 * the retired sets' delete that follows it (the driver reports that statement's duration).
 */
async function writeBatch(
  { db, tenantId, admin }: Schema,
  collectionId: string,
  ids: string[],
  pass: string,
) {
  const operation = await db.operations.create(tenantId, { collectionId, strategy: 'fixed', config: {} });
  await db.operations.transition(operation.id, ['pending'], 'processing', {
    documentsTotal: ids.length,
    documentPlan: ids,
    sliceProgress: [0],
  });
  let deleteMs = 0;
  const stop = db.observeQueries((event) => {
    if (/^\s*DELETE FROM "chunk_sets"/.test(event.sql)) deleteMs += event.durationMs;
  });
  const cpuBefore = await backendCpu(admin);
  const started = performance.now();
  const outcome = await db.chunks.writeOperationBatch({
    operationId: operation.id,
    slice: 0,
    sliceDoneBefore: 0,
    documentsDone: ids.length,
    documents: ids.map((documentId, document) => ({
      documentId,
      chunks: benchChunks(document, pass, CHUNKS_PER_DOCUMENT),
    })),
  });
  const totalMs = performance.now() - started;
  const cpuSeconds = cpuBetween(cpuBefore, await backendCpu(admin));
  stop();
  if (!outcome.written) throw new Error(`batch not written: ${outcome.status}`);
  await db.operations.transition(operation.id, ['processing'], 'completed');
  const perChunk = (ms: number) => (ms * 1000) / outcome.chunks;
  return {
    transactionUs: perChunk(totalMs - deleteMs),
    retiredDeleteUs: perChunk(deleteMs),
    postgresCpuUs: perChunk(cpuSeconds * 1000),
  };
}

async function round(schema: Schema, index: number) {
  const { db, tenantId } = schema;
  const { id: collectionId } = await db.collections.create(tenantId, { name: `round ${index}` });
  const ids: string[] = [];
  for (let from = 0; from < DOCUMENTS; from += CREATE_DOCUMENTS) {
    const stored = await db.documents.createMany(
      tenantId,
      collectionId,
      Array.from({ length: Math.min(CREATE_DOCUMENTS, DOCUMENTS - from) }, (_, offset) => ({
        name: `${index}-${from + offset}.md`,
        contentType: 'text/markdown',
        content: `round ${index} document ${from + offset} ${CHUNK_TEXT}`,
      })),
    );
    for (const item of stored) if (item.status === 'created') ids.push(item.document.id);
  }
  const first = await writeBatch(schema, collectionId, ids, 'first');
  const again = await writeBatch(schema, collectionId, ids, 'again');
  const floor = await copyFloor(schema.database.url, collectionId);
  return {
    firstWriteUs: first.transactionUs,
    rechunkUs: again.transactionUs,
    retiredDeleteUs: again.retiredDeleteUs,
    firstWriteCpuUs: first.postgresCpuUs,
    rechunkCpuUs: again.postgresCpuUs,
    copyFloorUs: 1e6 / floor.rowsPerSecond,
  };
}

const started = benchEnvironment();
const previous = await migrationsBefore(KEYED_BY_SET);
const schemas = [await openSchema('two keys (before)', previous), await openSchema('one key (after)')];
const rounds = new Map<string, Awaited<ReturnType<typeof round>>[]>(schemas.map((s) => [s.name, []]));
try {
  for (let index = 0; index < ROUNDS; index++) {
    for (const schema of schemas) rounds.get(schema.name)?.push(await round(schema, index));
  }
} finally {
  for (const { db, database, admin } of schemas) {
    await admin.end();
    await db.close();
    await database.drop();
  }
  await rm(previous, { recursive: true, force: true });
}
const medianOf = (name: string, pick: (r: Awaited<ReturnType<typeof round>>) => number) =>
  Math.round(median((rounds.get(name) ?? []).map(pick)) * 10) / 10;
const results = {
  documents: DOCUMENTS,
  chunksPerBatch: DOCUMENTS * CHUNKS_PER_DOCUMENT,
  rounds: ROUNDS,
  schemas: schemas.map(({ name }) => ({
    name,
    microsecondsPerChunk: {
      firstWrite: medianOf(name, (r) => r.firstWriteUs),
      rechunk: medianOf(name, (r) => r.rechunkUs),
      retiredDelete: medianOf(name, (r) => r.retiredDeleteUs),
      copyFloor: medianOf(name, (r) => r.copyFloorUs),
    },
    postgresCpuMicrosecondsPerChunk: {
      firstWrite: medianOf(name, (r) => r.firstWriteCpuUs),
      rechunk: medianOf(name, (r) => r.rechunkCpuUs),
    },
    rounds: rounds.get(name),
  })),
};
console.log(JSON.stringify(results, null, 2));
writeBenchJson(join(import.meta.dirname, '../bench-results/chunk-keys.json'), started, results);
