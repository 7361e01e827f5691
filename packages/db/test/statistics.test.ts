import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase, type QueryEvent } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing.ts';

const COLLECTIONS = 1_000;
const OPERATIONS = 100_000;
const DOCUMENTS_PER_COLLECTION = 2;
const CHUNKS_PER_DOCUMENT = 60;

let testDb: TestDatabase;
let db: Database;
let admin: pg.Client;
let tenantId: string;
let bigCollection: string;
let emptyCollection: string;

/** Bulk data in a few set-based statements, so seeding 100k+ rows takes about a second. */
async function seed(client: pg.Client): Promise<void> {
  await client.query(
    `
    INSERT INTO collections (id, tenant_id, name, updated_at)
    SELECT gen_random_uuid(), $1, 'seeded-' || i, now() FROM generate_series(1, ${COLLECTIONS}) AS i`,
    [tenantId],
  );
  await client.query(
    `
    WITH numbered AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM collections WHERE name LIKE 'seeded-%')
    INSERT INTO operations (tenant_id, collection_id, status, strategy, processing_ms, updated_at)
    SELECT $1, c.id,
      -- One active operation per collection (the first round of i), the rest ended.
      (ARRAY['pending','processing','completed','failed','cancelled']::operation_status[])[
        CASE WHEN i <= ${COLLECTIONS} THEN 1 + i % 2 ELSE 3 + i % 3 END],
      -- Timed: every completed one and a quarter of the failed ones, a second longer, so the mean
      -- over operations differs from the mean of each status's mean.
      'recursive', CASE WHEN i > ${COLLECTIONS} AND (i % 3 = 0 OR (i % 3 = 1 AND i / ${COLLECTIONS} % 4 = 0)) THEN 100 + i % 900 + (i % 3) * 1000 END, now()
    FROM generate_series(1, ${OPERATIONS}) AS i JOIN numbered c ON c.n = 1 + i % ${COLLECTIONS}`,
    [tenantId],
  );
  await client.query(
    `
    INSERT INTO documents (tenant_id, collection_id, name, content_type, content, content_hash, size_bytes, char_count, updated_at)
    SELECT $1, c.id, 'doc-' || d, 'text/plain', 'seeded', md5(c.id::text || d), 6, 6, now()
    FROM collections c CROSS JOIN generate_series(1, ${DOCUMENTS_PER_COLLECTION}) AS d WHERE c.name LIKE 'seeded-%'`,
    [tenantId],
  );
  await client.query(
    `INSERT INTO chunk_sets (document_id, collection_id, state) SELECT id, collection_id, 'live' FROM documents`,
  );
  await client.query(`
    INSERT INTO chunks (document_id, collection_id, set_id, chunk_index, start_offset, end_offset, char_count, token_count, content)
    SELECT d.id, d.collection_id, s.id, k, k * 100, k * 100 + 50 + k % 50, 50 + k % 50, 12, 'seeded chunk'
    FROM documents d JOIN chunk_sets s ON s.document_id = d.id
    CROSS JOIN generate_series(0, ${CHUNKS_PER_DOCUMENT - 1}) AS k`);
  // Chunks written behind the repository's back: summarise them as the migration does.
  await client.query('SELECT summarise_document_chunks(ARRAY(SELECT id FROM documents))');
  await client.query('VACUUM ANALYZE');
}

async function statementsFor(collectionId: string): Promise<QueryEvent[]> {
  const events: QueryEvent[] = [];
  const stop = db.observeQueries((event) => events.push(event));
  try {
    await db.statistics.forCollection(tenantId, collectionId);
  } finally {
    stop();
  }
  return events;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function planNodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(planNodes)];
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = await openDatabase({ url: testDb.url });
  await db.migrate();
  tenantId = (await db.tenants.ensureTenant('stats')).id;
  admin = new pg.Client({ connectionString: testDb.url });
  await admin.connect();
  await seed(admin);
  bigCollection = (await admin.query("SELECT id FROM collections WHERE name = 'seeded-1'")).rows[0].id;
  emptyCollection = (await db.collections.create(tenantId, { name: 'empty' })).id;
});

afterAll(async () => {
  await admin?.end();
  await db?.close();
  await testDb?.drop();
});

describe('collection statistics on 100k operations', () => {
  it('are right for a seeded collection', async () => {
    const stats = await db.statistics.forCollection(tenantId, bigCollection);
    const perCollection = OPERATIONS / COLLECTIONS;
    expect(stats).toMatchObject({
      totalDocuments: DOCUMENTS_PER_COLLECTION,
      totalChunks: DOCUMENTS_PER_COLLECTION * CHUNKS_PER_DOCUMENT,
      minChunkSize: 50,
      maxChunkSize: Math.max(...Array.from({ length: CHUNKS_PER_DOCUMENT }, (_, k) => 50 + (k % 50))),
    });
    // Sizes 50..99 (50 + k % 50, k < 60) in 10 bins of 5; k = 50..59 repeats 50..59.
    expect(stats?.sizeDistribution).toEqual(
      Array.from({ length: 10 }, (_, bin) => ({
        from: 50 + bin * 5,
        to: 54 + bin * 5,
        count: DOCUMENTS_PER_COLLECTION * (bin < 2 ? 10 : 5),
      })),
    );
    const counts = Object.values(stats?.operationsByStatus ?? {});
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(perCollection);
    // The mean over every timed operation, whatever its status; the latest change of any part.
    const { rows } = await admin.query<{ mean: number; latest: Date }>(
      `SELECT avg(processing_ms)::float8 AS mean,
         greatest(max(o.updated_at), (SELECT updated_at FROM collections WHERE id = $1)) AS latest
       FROM operations o WHERE collection_id = $1`,
      [bigCollection],
    );
    expect(stats?.avgProcessingMs).toBeCloseTo(rows[0]?.mean ?? Number.NaN, 9);
    expect(stats?.lastUpdated.getTime()).toBeGreaterThanOrEqual(rows[0]?.latest.getTime() ?? Number.NaN);
  });

  it('take one statement for an empty and a full collection', async () => {
    const forEmpty = await statementsFor(emptyCollection);
    const forBig = await statementsFor(bigCollection);
    expect(forBig.length).toBe(forEmpty.length);
    expect(forBig.length).toBe(1);
  });

  it('are planned on the composite indexes, never a sequential scan of a big table', async () => {
    const statements = await statementsFor(bigCollection);
    const scans: PlanNode[] = [];
    for (const { sql, params } of statements) {
      const { rows } = await admin.query(`EXPLAIN (FORMAT JSON) ${sql}`, JSON.parse(params));
      scans.push(
        ...planNodes(rows[0]['QUERY PLAN'][0].Plan).filter((node) => node['Node Type'].includes('Scan')),
      );
    }
    expect(scans.filter((node) => node['Node Type'] === 'Seq Scan')).toEqual([]);
    const indexes = scans.map((node) => node['Index Name']);
    // Chunk sizes come from the collection's rollup, never from the chunks or each document's
    // summary; every table is found by a collection-led index.
    const relations = scans.map((node) => node['Relation Name']);
    expect(relations).not.toContain('chunks');
    expect(relations).not.toContain('document_chunk_stats');
    expect(indexes).toContain('collection_chunk_sizes_pkey');
    expect(indexes.some((name) => name?.startsWith('operations_collection_id_'))).toBe(true);
    expect(indexes.some((name) => name?.startsWith('documents_collection_id_'))).toBe(true);
  });
});
