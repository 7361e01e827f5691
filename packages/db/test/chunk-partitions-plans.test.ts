import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase, type QueryEvent } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing.ts';
import { chunksOfSizes } from './support/chunks.ts';
import { processingOperation } from './support/operations.ts';

const DOCUMENTS = 3;
const CHUNKS_PER_DOCUMENT = 12;
/** Documents of the collection seeded beside each one in its partition (see seedNeighbour). */
const NEIGHBOUR_DOCUMENTS = 10;
/** Documents of a collection grown after the partitions' statistics were taken. */
const GROWN_DOCUMENTS = 1_000;
/** Documents of an operation's batch, as workers write them (OPERATION_BATCH_DOCUMENTS). */
const BATCH_DOCUMENTS = 64;
const PARTITION = /^chunks_p\d+$/;

interface SeededCollection {
  id: string;
  documentIds: string[];
  /** The partition of chunks holding its rows. */
  partition: string;
}

let testDb: TestDatabase;
let db: Database;
let admin: pg.Client;
let tenantId: string;
let collections: SeededCollection[];
/** auto_explain's plans of the admin session's statements, nested ones included, as they arrive. */
const executedPlans: unknown[] = [];

async function seedCollection(name: string, documents = DOCUMENTS): Promise<SeededCollection> {
  const { id } = await db.collections.create(tenantId, { name });
  const documentIds: string[] = [];
  for (let index = 0; index < documents; index += 1) {
    const document = await db.documents.create(tenantId, id, {
      name: `${name}-${index}`,
      contentType: 'text/plain',
      content: `${name} document ${index}`,
    });
    await db.chunks.replaceDocumentChunks(
      document.id,
      chunksOfSizes(Array.from({ length: CHUNKS_PER_DOCUMENT }, () => 10)),
    );
    documentIds.push(document.id);
  }
  const { rows } = await admin.query<{ partition: string }>(
    'SELECT DISTINCT tableoid::regclass::text AS partition FROM chunks WHERE collection_id = $1',
    [id],
  );
  expect(rows).toHaveLength(1);
  return { id, documentIds, partition: rows[0]?.partition ?? '' };
}

/**
 * A larger collection in `of`'s partition, as a partition shared by many collections has: alone
 * in its partition a collection is the whole partition, and the planner may then read all of it
 * by its smallest index (the primary key) rather than the collection's, which checks nothing.
 */
async function seedNeighbour(of: SeededCollection): Promise<void> {
  for (let attempt = 0; attempt < 400; attempt += 1) {
    const neighbour = await seedCollection(`neighbour-${randomUUID()}`, NEIGHBOUR_DOCUMENTS);
    if (neighbour.partition === of.partition) return;
    await db.collections.delete(tenantId, neighbour.id);
  }
  throw new Error(`no collection id of 400 fell in ${of.partition}`);
}

/** Every node of a plan (nested plans included) that passes `test`. */
function planNodes(
  plan: unknown,
  test: (node: Record<string, unknown>) => boolean,
): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const fields = node as Record<string, unknown>;
    if ('Node Type' in fields && test(fields)) found.push(fields);
    for (const value of Object.values(fields)) walk(value);
  };
  walk(plan);
  return found;
}

/** Every node of a plan (nested plans included) that scans one of the chunks' partitions. */
function partitionScans(plan: unknown): Record<string, unknown>[] {
  return planNodes(plan, (node) => PARTITION.test(String(node['Relation Name'])));
}

/** The partitions of chunks a plan scans: every one it names, or with `where`, those whose scan passes it. */
function partitionsIn(
  plan: unknown,
  where: (node: Record<string, unknown>) => boolean = () => true,
): string[] {
  const found = new Set(
    partitionScans(plan)
      .filter(where)
      .map((scan) => scan['Relation Name'] as string),
  );
  return [...found].sort();
}

/** The partitions of chunks PostgreSQL plans to scan for a statement with these parameters. */
async function plannedPartitions(sql: string, params: unknown[]): Promise<string[]> {
  const { rows } = await admin.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
  return partitionsIn(rows[0]['QUERY PLAN']);
}

/** Rows the scans of a plan (EXPLAIN ANALYZE) read from chunks' partitions: those they passed on and those they dropped. */
function rowsScanned(plan: unknown): number {
  let rows = 0;
  for (const scan of partitionScans(plan)) {
    if (!('Actual Rows' in scan)) continue;
    // EXPLAIN gives each count per loop.
    const perLoop =
      Number(scan['Actual Rows']) +
      Number(scan['Rows Removed by Filter'] ?? 0) +
      Number(scan['Rows Removed by Index Recheck'] ?? 0);
    rows += perLoop * Number(scan['Actual Loops']);
  }
  return rows;
}

/**
 * The plans, nested statements included, of a batch's delete of its documents' retired sets
 * (among `statements`), run again on the documents' live sets retired for it, then rolled back.
 */
async function retiredDeletePlans(statements: QueryEvent[], documentIds: string[]): Promise<unknown[]> {
  const retired = statements.filter((event) => /^\s*DELETE FROM "chunk_sets"/.test(event.sql));
  expect(retired).toHaveLength(1);
  await admin.query('BEGIN');
  try {
    await admin.query(`UPDATE chunk_sets SET state = 'retired' WHERE document_id = ANY($1::uuid[])`, [
      documentIds,
    ]);
    // A foreign key's cascade keeps its plan for the session: the one checked here is made now, on
    // statistics that do not know the collection, not one an earlier test left from other data.
    await admin.query('DISCARD PLANS');
    // The driver reports a label, not the parameters: they are the batch's documents.
    return await executed(retired[0]?.sql ?? '', [documentIds]);
  } finally {
    await admin.query('ROLLBACK');
  }
}

/** The statements the repositories send while `run` runs. */
async function statementsOf(run: () => Promise<unknown>): Promise<QueryEvent[]> {
  const events: QueryEvent[] = [];
  const stop = db.observeQueries((event) => events.push(event));
  try {
    await run();
  } finally {
    stop();
  }
  return events;
}

const readsOrWritesChunks = (event: QueryEvent) => /"chunks"(?!_)/.test(event.sql);

/** Runs a statement in the admin session and answers the plans auto_explain gave of it and its nested statements. */
async function executed(sql: string, params: unknown[]): Promise<unknown[]> {
  executedPlans.length = 0;
  await admin.query(sql, params);
  return [...executedPlans];
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = await openDatabase({ url: testDb.url });
  await db.migrate();
  admin = new pg.Client({ connectionString: testDb.url });
  await admin.connect();
  // Plans of what really ran, nested statements (SQL functions, foreign-key cascades) included,
  // sent to this session as notices.
  admin.on('notice', (notice) => {
    const plan = notice.message?.slice(notice.message.indexOf('{'));
    if (notice.message?.startsWith('duration:') && plan) executedPlans.push(JSON.parse(plan));
  });
  await admin.query(`LOAD 'auto_explain'`);
  for (const setting of [
    'auto_explain.log_min_duration = 0',
    'auto_explain.log_analyze = on',
    'auto_explain.log_nested_statements = on',
    `auto_explain.log_format = 'json'`,
    `auto_explain.log_level = 'notice'`,
  ]) {
    await admin.query(`SET ${setting}`);
  }
  tenantId = (await db.tenants.ensureTenant('partitions')).id;
  collections = [await seedCollection('first'), await seedCollection('second')];
  for (const collection of collections) await seedNeighbour(collection);
  await admin.query('VACUUM ANALYZE chunks');
}, 120_000);

afterAll(async () => {
  await admin?.end();
  await db?.close();
  await testDb?.drop();
});

describe('a collection’s chunk statements on the partitioned table', () => {
  it('list its chunks, page after page and by document, from its partition only', async () => {
    const [collection] = collections as [SeededCollection];
    const statements = await statementsOf(async () => {
      const first = await db.chunks.list(tenantId, { collectionId: collection.id }, { limit: 5 });
      await db.chunks.list(
        tenantId,
        { collectionId: collection.id },
        { limit: 5, cursor: first.nextCursor ?? undefined },
      );
      await db.chunks.list(
        tenantId,
        { collectionId: collection.id, documentId: collection.documentIds[1] ?? '' },
        { limit: 5 },
      );
    });
    const listings = statements.filter(readsOrWritesChunks);
    expect(listings).toHaveLength(3);
    for (const { sql, params } of listings) {
      expect(await plannedPartitions(sql, JSON.parse(params))).toEqual([collection.partition]);
    }
  });

  it('answer statistics without reading any partition of chunks', async () => {
    const [collection] = collections as [SeededCollection];
    const statements = await statementsOf(() => db.statistics.forCollection(tenantId, collection.id));
    expect(statements.length).toBeGreaterThan(0);
    for (const { sql, params } of statements) {
      expect(await plannedPartitions(sql, JSON.parse(params))).toEqual([]);
    }
  });

  it('re-chunk a document: its old rows are deleted, and its summary read, in its partition only', async () => {
    const [collection] = collections as [SeededCollection];
    const [documentId] = collection.documentIds as [string];
    const statements = await statementsOf(() =>
      db.chunks.replaceDocumentChunks(documentId, chunksOfSizes([20, 20, 20])),
    );
    const deletes = statements.filter((event) => /^\s*DELETE FROM "chunks"/.test(event.sql));
    expect(deletes.length).toBeGreaterThan(0);
    for (const { sql, params } of deletes) {
      expect(await plannedPartitions(sql, JSON.parse(params))).toEqual([collection.partition]);
    }
    const summary = await executed('SELECT summarise_document_chunks(ARRAY[$1::uuid])', [documentId]);
    const ran = (node: Record<string, unknown>) => Number(node['Actual Loops']) > 0;
    expect(partitionsIn(summary, ran)).toEqual([collection.partition]);
  });

  it('write an operation’s batch and delete its retired rows in its partition only', async () => {
    const [collection] = collections as [SeededCollection];
    const operationId = await processingOperation(db, tenantId, collection.id, collection.documentIds);
    const statements = await statementsOf(() =>
      db.chunks.writeOperationBatch({
        operationId,
        slice: 0,
        sliceDoneBefore: 0,
        documentsDone: collection.documentIds.length,
        documents: collection.documentIds.map((documentId) => ({
          documentId,
          chunks: chunksOfSizes([30, 30]),
        })),
      }),
    );
    const plans = await retiredDeletePlans(statements, collection.documentIds);
    const ran = (node: Record<string, unknown>) => Number(node['Actual Loops']) > 0;
    expect(partitionsIn(plans, ran)).toEqual([collection.partition]);
  });

  it('delete a batch’s retired rows reading its documents’ rows only, on statistics that do not know the collection', async () => {
    // Loaded after the partitions were analyzed: the planner's statistics do not know this collection.
    const { id: collectionId } = await db.collections.create(tenantId, { name: 'loaded since analyze' });
    const stored = await db.documents.createMany(
      tenantId,
      collectionId,
      Array.from({ length: GROWN_DOCUMENTS }, (_, index) => ({
        name: `grown-${index}`,
        contentType: 'text/plain',
        content: `grown document ${index}`,
      })),
    );
    const documentIds = stored.map((item) => (item.status === 'created' ? item.document.id : ''));
    const firstApply = await processingOperation(db, tenantId, collectionId, documentIds);
    await db.chunks.writeOperationBatch({
      operationId: firstApply,
      slice: 0,
      sliceDoneBefore: 0,
      documentsDone: documentIds.length,
      documents: documentIds.map((documentId) => ({
        documentId,
        chunks: chunksOfSizes(Array.from({ length: CHUNKS_PER_DOCUMENT }, () => 10)),
      })),
    });
    await db.operations.transition(firstApply, ['processing'], 'completed');
    // A re-chunk's first batch.
    const batch = documentIds.slice(0, BATCH_DOCUMENTS);
    const statements = await statementsOf(async () =>
      db.chunks.writeOperationBatch({
        operationId: await processingOperation(db, tenantId, collectionId, batch),
        slice: 0,
        sliceDoneBefore: 0,
        documentsDone: batch.length,
        documents: batch.map((documentId) => ({ documentId, chunks: chunksOfSizes([30, 30]) })),
      }),
    );
    const { rows } = await admin.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM chunks WHERE collection_id = $1 AND document_id = ANY($2::uuid[])',
      [collectionId, batch],
    );
    expect(rowsScanned(await retiredDeletePlans(statements, batch))).toBeLessThanOrEqual(rows[0]?.count ?? 0);
  });

  it('export each document’s live set from its partition only', async () => {
    const [, collection] = collections as [SeededCollection, SeededCollection];
    const statements = await statementsOf(async () => {
      for await (const _batch of db.chunks.exportBatches(tenantId, { collectionId: collection.id })) {
        // Read to the end.
      }
    });
    const reads = statements.filter(readsOrWritesChunks);
    expect(reads).toHaveLength(DOCUMENTS);
    const { rows } = await admin.query<{ id: string }>(
      `SELECT id FROM chunk_sets WHERE document_id = $1 AND state = 'live'`,
      [collection.documentIds[0]],
    );
    // The driver reports a label, not the parameters: collection, set, the index after, batch rows.
    for (const { sql } of reads) {
      expect(await plannedPartitions(sql, [collection.id, rows[0]?.id, -1, 1_000])).toEqual([
        collection.partition,
      ]);
    }
  });

  it.each([
    ['a collection', 'DELETE FROM collections WHERE id = $1', (c: SeededCollection) => c.id],
    ['a document', 'DELETE FROM documents WHERE id = $1', (c: SeededCollection) => c.documentIds[1]],
    [
      'a chunk set',
      `DELETE FROM chunk_sets WHERE document_id = $1 AND state = 'live'`,
      (c: SeededCollection) => c.documentIds[2],
    ],
  ])('delete %s: its cascade reads and deletes rows in its partition only', async (_what, sql, key) => {
    const [, collection] = collections as [SeededCollection, SeededCollection];
    await admin.query('BEGIN');
    try {
      const plans = await executed(sql, [key(collection)]);
      const deletedRows = (node: Record<string, unknown>) => Number(node['Actual Rows']) > 0;
      const ran = (node: Record<string, unknown>) => Number(node['Actual Loops']) > 0;
      expect(partitionsIn(plans, deletedRows)).toEqual([collection.partition]);
      // The foreign keys name the collection, so no other partition is even probed.
      expect(partitionsIn(plans, ran)).toEqual([collection.partition]);
    } finally {
      await admin.query('ROLLBACK');
    }
  });
});

/** Of a plan run, a node that ran; of a plan not run, any. */
const ranOrPlanned = (node: Record<string, unknown>) => Number(node['Actual Loops'] ?? 1) > 0;

const PARTITION_INDEX = /^chunks_p\d+_/;

describe('every statement and cascade that reads chunks', () => {
  /** The first column of each index of chunks' partitions. */
  const firstColumns = new Map<string, string>();

  // With sequential scans priced out, a plan that still scans a partition sequentially has no index
  // to read it by. Each statement keeps one whose first column it binds, none of them the
  // document_id index (dropped for that reason).
  beforeAll(async () => {
    await admin.query('SET enable_seqscan = off');
    const { rows } = await admin.query<{ index: string; column: string }>(
      `SELECT i.indexrelid::regclass::text AS index, a.attname AS column
       FROM pg_index i JOIN pg_inherits p ON p.inhrelid = i.indrelid AND p.inhparent = 'chunks'::regclass
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]`,
    );
    for (const { index, column } of rows) firstColumns.set(index, column);
  });
  afterAll(() => admin.query('RESET enable_seqscan'));

  /** The reads of chunks' partitions in a plan that do not enter an index by an equality on its first column. */
  function unkeyedReads(plan: unknown): string[] {
    const unkeyed = (node: Record<string, unknown>) => {
      const index = String(node['Index Name']);
      if (PARTITION_INDEX.test(index)) {
        return !String(node['Index Cond']).includes(`(${firstColumns.get(index)} = `);
      }
      return node['Node Type'] === 'Seq Scan' && PARTITION.test(String(node['Relation Name']));
    };
    return planNodes(plan, (node) => ranOrPlanned(node) && unkeyed(node)).map(
      (node) => `${node['Node Type']} of ${node['Index Name'] ?? node['Relation Name']}`,
    );
  }

  async function plannedUnkeyedReads({ sql, params }: QueryEvent): Promise<string[]> {
    const { rows } = await admin.query(`EXPLAIN (FORMAT JSON) ${sql}`, JSON.parse(params));
    return unkeyedReads(rows[0]['QUERY PLAN']);
  }

  it('reads them by an index: listings, a chunk by id, a re-chunk’s deletes', async () => {
    const [collection] = collections as [SeededCollection];
    const documentId = collection.documentIds[1] ?? '';
    const statements = await statementsOf(async () => {
      const first = await db.chunks.list(tenantId, { collectionId: collection.id }, { limit: 5 });
      await db.chunks.list(
        tenantId,
        { collectionId: collection.id },
        { limit: 5, cursor: first.nextCursor ?? undefined },
      );
      await db.chunks.list(tenantId, { collectionId: collection.id, documentId }, { limit: 5 });
      await db.chunks.get(tenantId, first.items[0]?.id ?? '');
      await db.chunks.replaceDocumentChunks(documentId, chunksOfSizes([20, 20]));
    });
    // The new rows' INSERT reads no chunk.
    const reads = statements.filter((event) => readsOrWritesChunks(event) && !/^\s*INSERT/.test(event.sql));
    // Three listings, the chunk by id, the retired set's delete.
    expect(new Set(reads.map((event) => event.sql)).size).toBe(5);
    for (const statement of reads) expect(await plannedUnkeyedReads(statement)).toEqual([]);
  });

  it('reads them by an index: a document’s summary and the export', async () => {
    const [, collection] = collections as [SeededCollection, SeededCollection];
    const [documentId] = collection.documentIds as [string];
    const summary = await executed('SELECT summarise_document_chunks(ARRAY[$1::uuid])', [documentId]);
    expect(partitionsIn(summary, ranOrPlanned)).toEqual([collection.partition]);
    expect(unkeyedReads(summary)).toEqual([]);

    const statements = await statementsOf(async () => {
      for await (const _batch of db.chunks.exportBatches(tenantId, {
        collectionId: collection.id,
        documentId,
      })) {
        // Read to the end.
      }
    });
    const [read] = statements.filter(readsOrWritesChunks);
    const { rows } = await admin.query<{ id: string }>(
      `SELECT id FROM chunk_sets WHERE document_id = $1 AND state = 'live'`,
      [documentId],
    );
    // The driver reports a label, not the parameters: collection, set, the index after, batch rows.
    const params = JSON.stringify([collection.id, rows[0]?.id, -1, 1_000]);
    expect(await plannedUnkeyedReads({ ...(read as QueryEvent), params })).toEqual([]);
  });

  it('deletes a batch’s retired sets’ rows by an index', async () => {
    const [, collection] = collections as [SeededCollection, SeededCollection];
    const operationId = await processingOperation(db, tenantId, collection.id, collection.documentIds);
    const statements = await statementsOf(() =>
      db.chunks.writeOperationBatch({
        operationId,
        slice: 0,
        sliceDoneBefore: 0,
        documentsDone: collection.documentIds.length,
        documents: collection.documentIds.map((documentId) => ({ documentId, chunks: chunksOfSizes([40]) })),
      }),
    );
    await db.operations.transition(operationId, ['processing'], 'completed');
    const plans = await retiredDeletePlans(statements, collection.documentIds);
    expect(partitionsIn(plans, ranOrPlanned)).toEqual([collection.partition]);
    expect(unkeyedReads(plans)).toEqual([]);
  });

  it('leaves them unread when finding unfinished sets and when deleting operations (a set holds its operation)', async () => {
    const [, collection] = collections as [SeededCollection, SeededCollection];
    const statements = await statementsOf(async () => {
      await db.chunks.discardUnfinishedSets();
      await db.chunks.discardUnfinishedSets(randomUUID());
    });
    expect(statements.length).toBeGreaterThan(0);
    expect(statements.filter(readsOrWritesChunks)).toEqual([]);
    await admin.query('BEGIN');
    try {
      // The batch above wrote sets of one: they lose its id, their chunks are not touched.
      const plans = await executed('DELETE FROM operations WHERE collection_id = $1', [collection.id]);
      expect(plans.length).toBeGreaterThan(0);
      expect(partitionsIn(plans, ranOrPlanned)).toEqual([]);
    } finally {
      await admin.query('ROLLBACK');
    }
  });

  it.each([
    ['a collection', 'DELETE FROM collections WHERE id = $1', (c: SeededCollection) => c.id],
    ['a document', 'DELETE FROM documents WHERE id = $1', (c: SeededCollection) => c.documentIds[1]],
    [
      'a chunk set',
      `DELETE FROM chunk_sets WHERE document_id = $1 AND state = 'live'`,
      (c: SeededCollection) => c.documentIds[2],
    ],
  ])('delete %s: its cascade reads chunks by an index', async (_what, sql, key) => {
    const [, collection] = collections as [SeededCollection, SeededCollection];
    await admin.query('BEGIN');
    try {
      // A cascade keeps its plan for the session: the one checked is made with sequential scans off.
      await admin.query('DISCARD PLANS');
      const plans = await executed(sql, [key(collection)]);
      expect(partitionsIn(plans, ranOrPlanned)).toContain(collection.partition);
      expect(unkeyedReads(plans)).toEqual([]);
    } finally {
      await admin.query('ROLLBACK');
    }
  });
});
