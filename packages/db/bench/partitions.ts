/**
 * What partitioning `chunks` by collection changes at scale (docs/scaling.md, "Chunk storage"):
 * the same work on one collection beside many other collections' chunks, with `chunks` as one
 * table and as its 16 hash partitions (the current schema; for the first, the bench makes the
 * empty table one table again, same columns, keys, indexes and foreign keys), each in a scratch
 * database on the machine's PostgreSQL.
 * - Others: BENCH_PARTITIONS_CHUNKS chunks (default 1,000,000) in 100 collections, seeded in bulk.
 * - The collection: 200 documents × 100 chunks written by an operation's batches through the chunk
 *   repository (COPY), then re-chunked the same way (new sets; the old rows deleted).
 * - Measured on it: rows/s of the first write and the re-chunk; a listing read page by page; the
 *   statistics; VACUUM of what holds its rows after the re-chunk (the table, or its partition),
 *   its index pass included, with the bytes that covers; the delete of the collection. Autovacuum
 *   is off on chunks so that both layouts do the same work in the timed steps.
 * - The upgrade: a database on the schema before partitioning, holding as many chunks, migrated.
 * `pnpm --filter @chunkflow/db run bench:partitions`; writes bench-results/partitions.json.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { benchEnvironment, writeBenchJson } from '@chunkflow/vitest-config/environment';
import pg from 'pg';
import { type Database, openDatabase } from '../src/index.ts';
import { createTestDatabase, migrationsBefore, seedSyntheticChunks } from '../src/testing.ts';
import { benchChunks, CHUNK_TEXT } from './bench-chunks.ts';

const OTHER_CHUNKS = Number(process.env.BENCH_PARTITIONS_CHUNKS ?? 1_000_000);
const OTHER_COLLECTIONS = 100;
const CHUNKS_PER_OTHER_DOCUMENT = 100;
const DOCUMENTS = 200;
const CHUNKS_PER_DOCUMENT = 100;
const DOCUMENTS_PER_BATCH = 20;
const PAGE = 100;
const READ_ROUNDS = 15;
const PARTITIONING = '_chunks_by_collection_partitions';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The relations that store chunks: the table itself, or its partitions. */
async function chunkHeaps(client: pg.Client): Promise<string[]> {
  // pg_partition_tree answers nothing for a table that is not partitioned.
  const { rows } = await client.query<{ name: string }>(
    `SELECT relid::regclass::text AS name FROM pg_partition_tree('chunks') WHERE isleaf
     UNION ALL SELECT 'chunks' WHERE NOT EXISTS (SELECT FROM pg_partition_tree('chunks'))`,
  );
  return rows.map((row) => row.name);
}

/** Makes the empty partitioned chunks table one table, with the same columns, keys, indexes and foreign keys. */
async function asOneTable(client: pg.Client): Promise<void> {
  const { rows: constraints } = await client.query<{ name: string; definition: string }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint
     WHERE conrelid = 'chunks'::regclass AND contype IN ('p', 'u', 'f') ORDER BY contype DESC, conname`,
  );
  const { rows: indexes } = await client.query<{ definition: string }>(
    `SELECT indexdef AS definition FROM pg_indexes WHERE tablename = 'chunks'
       AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = 'chunks'::regclass)`,
  );
  await client.query('BEGIN');
  await client.query(
    'CREATE TABLE chunks_one (LIKE chunks INCLUDING DEFAULTS INCLUDING STORAGE INCLUDING COMPRESSION)',
  );
  await client.query('DROP TABLE chunks');
  await client.query('ALTER TABLE chunks_one RENAME TO chunks');
  for (const { name, definition } of constraints) {
    await client.query(`ALTER TABLE chunks ADD CONSTRAINT "${name}" ${definition}`);
  }
  for (const { definition } of indexes) await client.query(definition.replace(' ON ONLY ', ' ON '));
  await client.query('COMMIT');
}

async function seedOthers(
  db: Database,
  url: string,
  tenantId: string,
  setsWithoutCollection = false,
): Promise<number> {
  const documents = Math.ceil(OTHER_CHUNKS / CHUNKS_PER_OTHER_DOCUMENT / OTHER_COLLECTIONS);
  for (let c = 0; c < OTHER_COLLECTIONS; c++) {
    const { id } = await db.collections.create(tenantId, { name: `other ${c}` });
    await db.documents.createMany(
      tenantId,
      id,
      Array.from({ length: documents }, (_, d) => ({
        name: `other-${c}-${d}.md`,
        contentType: 'text/markdown',
        content: `other ${c} ${d} ${CHUNK_TEXT}`,
      })),
    );
    await seedSyntheticChunks(url, id, {
      perDocument: CHUNKS_PER_OTHER_DOCUMENT,
      content: CHUNK_TEXT,
      setsWithoutCollection,
    });
  }
  return documents * OTHER_COLLECTIONS * CHUNKS_PER_OTHER_DOCUMENT;
}

/** Writes every document's chunks as one operation's batches would (a new set each): rows/s. */
async function writeCollection(db: Database, tenantId: string, collectionId: string, round: number) {
  const ids = await db.documents.idsForProcessing(collectionId);
  const operation = await db.operations.create(tenantId, { collectionId, strategy: 'fixed', config: {} });
  await db.operations.transition(operation.id, ['pending'], 'processing', {
    documentsTotal: ids.length,
    documentPlan: ids,
    sliceProgress: [0],
  });
  const { ms } = await timed(async () => {
    for (let from = 0; from < ids.length; from += DOCUMENTS_PER_BATCH) {
      const batch = ids.slice(from, from + DOCUMENTS_PER_BATCH);
      const outcome = await db.chunks.writeOperationBatch({
        operationId: operation.id,
        slice: 0,
        sliceDoneBefore: from,
        documentsDone: batch.length,
        documents: batch.map((documentId, index) => ({
          documentId,
          chunks: benchChunks(from + index, round, CHUNKS_PER_DOCUMENT),
        })),
      });
      if (!outcome.written) throw new Error('the batch was not written');
    }
  });
  await db.operations.transition(operation.id, ['processing'], 'completed', {});
  const rows = ids.length * CHUNKS_PER_DOCUMENT;
  return { rows, ms, rowsPerSecond: (rows * 1000) / ms };
}

/** The collection's chunks read as the API lists them, page by page: ms per page. */
async function listingMsPerPage(db: Database, tenantId: string, collectionId: string) {
  let cursor: string | undefined;
  let pages = 0;
  const { ms } = await timed(async () => {
    do {
      const page = await db.chunks.list(
        tenantId,
        { collectionId },
        { limit: PAGE, ...(cursor ? { cursor } : {}) },
      );
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
  });
  return { pages, msPerPage: ms / pages };
}

async function statisticsMs(db: Database, tenantId: string, collectionId: string) {
  const samples: number[] = [];
  for (let round = 0; round < READ_ROUNDS; round++) {
    samples.push((await timed(() => db.statistics.forCollection(tenantId, collectionId))).ms);
  }
  return { p50: median(samples), max: Math.max(...samples) };
}

/** VACUUM of the relation holding the collection's rows: its time and the bytes it covers. */
async function vacuumOfCollection(url: string, collectionId: string) {
  return withClient(url, async (client) => {
    const {
      rows: [holder],
    } = await client.query<{ name: string }>(
      `SELECT tableoid::regclass::text AS name FROM chunks WHERE collection_id = $1 LIMIT 1`,
      [collectionId],
    );
    const name = holder?.name ?? 'chunks';
    const {
      rows: [size],
    } = await client.query<{ bytes: string }>(`SELECT pg_total_relation_size($1::regclass) AS bytes`, [name]);
    // INDEX_CLEANUP ON: the index pass that dead rows need once they pass 2% of the pages, which
    // VACUUM would otherwise put off this time.
    const { ms } = await timed(() => client.query(`VACUUM (INDEX_CLEANUP ON) "${name}"`));
    return { relation: name, relationBytes: Number(size?.bytes), ms };
  });
}

async function measureLayout(layout: 'one table' | '16 partitions') {
  const database = await createTestDatabase();
  const db = await openDatabase({ url: database.url });
  await db.migrate();
  if (layout === 'one table') await withClient(database.url, asOneTable);
  try {
    const tenant = await db.tenants.ensureTenant('partitions bench');
    const seeding = await timed(() => seedOthers(db, database.url, tenant.id));
    const chunkBytes = await withClient(database.url, async (client) => {
      for (const heap of await chunkHeaps(client)) {
        await client.query(`ALTER TABLE ${heap} SET (autovacuum_enabled = false)`);
      }
      await client.query('VACUUM ANALYZE');
      let bytes = 0;
      for (const heap of await chunkHeaps(client)) {
        const { rows } = await client.query<{ bytes: string }>(
          'SELECT pg_total_relation_size($1::regclass) AS bytes',
          [heap],
        );
        bytes += Number(rows[0]?.bytes);
      }
      return bytes;
    });
    const collection = await db.collections.create(tenant.id, { name: 'measured' });
    await db.documents.createMany(
      tenant.id,
      collection.id,
      Array.from({ length: DOCUMENTS }, (_, d) => ({
        name: `measured-${d}.md`,
        contentType: 'text/markdown',
        content: `measured ${d} ${CHUNK_TEXT}`,
      })),
    );
    const firstWrite = await writeCollection(db, tenant.id, collection.id, 0);
    // Fresh statistics of every table, so that both layouts are planned from what they hold.
    await withClient(database.url, (client) => client.query('ANALYZE'));
    const rechunk = await writeCollection(db, tenant.id, collection.id, 1);
    const listing = await listingMsPerPage(db, tenant.id, collection.id);
    const statistics = await statisticsMs(db, tenant.id, collection.id);
    const vacuum = await vacuumOfCollection(database.url, collection.id);
    const deletion = await timed(() => db.collections.delete(tenant.id, collection.id));
    return {
      layout,
      others: { chunks: seeding.value, seedSeconds: seeding.ms / 1000, chunkTableBytes: chunkBytes },
      firstWrite,
      rechunk,
      listing,
      statisticsMs: statistics,
      vacuum,
      deleteCollectionMs: deletion.ms,
    };
  } finally {
    await db.close();
    await database.drop();
  }
}

/**
 * The upgrade: a database on the schema before partitioning, holding the others' chunks, migrated
 * to the current one (partitioning, then the keys naming the collection): its time and rate.
 */
async function upgrade() {
  const database = await createTestDatabase();
  const previous = await migrationsBefore(PARTITIONING);
  try {
    const before = await openDatabase({ url: database.url, migrationsDir: previous });
    try {
      await before.migrate();
      const tenant = await before.tenants.ensureTenant('partitions bench');
      await seedOthers(before, database.url, tenant.id, true);
    } finally {
      await before.close();
    }
    const rows = await withClient(database.url, async (client) => {
      await client.query('VACUUM ANALYZE');
      return Number((await client.query('SELECT count(*) FROM chunks')).rows[0]?.count);
    });
    const db = await openDatabase({ url: database.url });
    try {
      const { ms, value } = await timed(() => db.migrate());
      return { rows, migrations: value.applied, seconds: ms / 1000, rowsPerSecond: (rows * 1000) / ms };
    } finally {
      await db.close();
    }
  } finally {
    await rm(previous, { recursive: true, force: true });
    await database.drop();
  }
}

const started = benchEnvironment();
const layouts = [await measureLayout('one table'), await measureLayout('16 partitions')];
const results = {
  otherChunks: OTHER_CHUNKS,
  collection: { documents: DOCUMENTS, chunks: DOCUMENTS * CHUNKS_PER_DOCUMENT },
  layouts,
  migration: await upgrade(),
};
console.log(JSON.stringify(results, null, 2));
writeBenchJson(join(import.meta.dirname, '../bench-results/partitions.json'), started, results);
