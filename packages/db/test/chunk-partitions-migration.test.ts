import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../src/embedded/embedded-postgres.ts';
import { type Database, type ExportedChunk, type NewChunk, openDatabase } from '../src/index.ts';
import { createTestDatabase, migrationsBefore } from '../src/testing.ts';
import { type BackendKind, backendKinds } from './support/backends.ts';
import { readAll } from './support/chunks.ts';

const PARTITIONING = '_chunks_by_collection_partitions';
const KEYS_WITH_COLLECTION = '_chunk_keys_with_collection';

/** Text a copy or a cast could change: COPY's escapes, quotes, astral characters. */
const AWKWARD = 'tab\there\nline\r\nback\\slash \\N "quoted" ünïcödé 漢字 🙂𝄞';

function chunksOf(document: string, count: number): NewChunk[] {
  return Array.from({ length: count }, (_, chunkIndex) => ({
    chunkIndex,
    startOffset: chunkIndex * 7,
    endOffset: chunkIndex * 7 + 7 + (chunkIndex % 3),
    charCount: 7 + (chunkIndex % 3),
    tokenCount: 2 + (chunkIndex % 2),
    content: `${document} ${chunkIndex}: ${AWKWARD}`,
    embedHeader: `${document}\t§${chunkIndex % 2}\n\n`,
    embedTokenCount: 9 + chunkIndex,
    metadata: { headings: [document, AWKWARD], part: chunkIndex },
  }));
}

interface Written {
  tenantId: string;
  collectionIds: string[];
}

/**
 * A document's chunk set written as the repositories wrote them before chunk sets carried their
 * collection: a set row, its chunk rows, then the set made live in place of the one before, whose
 * rows and row are deleted.
 */
async function writeSetAsBefore(
  sql: pg.ClientBase,
  document: Stored,
  chunks: NewChunk[],
  operationId: string | null,
) {
  const {
    rows: [set],
  } = await sql.query<{ id: string }>(`INSERT INTO chunk_sets (document_id) VALUES ($1) RETURNING id`, [
    document.id,
  ]);
  for (const chunk of chunks) {
    await sql.query(
      `INSERT INTO chunks (document_id, collection_id, set_id, operation_id, chunk_index, start_offset, end_offset,
         char_count, token_count, content, embed_header, embed_token_count, metadata)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb)`,
      [
        document.id,
        document.collectionId,
        set?.id,
        operationId,
        chunk.chunkIndex,
        chunk.startOffset,
        chunk.endOffset,
        chunk.charCount,
        chunk.tokenCount,
        chunk.content,
        chunk.embedHeader,
        chunk.embedTokenCount,
        JSON.stringify(chunk.metadata),
      ],
    );
  }
  const { rows: retired } = await sql.query<{ id: string }>(
    `UPDATE chunk_sets SET state = 'retired' WHERE document_id = $1 AND state = 'live' RETURNING id`,
    [document.id],
  );
  await sql.query(`UPDATE chunk_sets SET state = 'live' WHERE id = $1`, [set?.id]);
  for (const { id } of retired) {
    await sql.query('DELETE FROM chunks WHERE set_id = $1', [id]);
    await sql.query('DELETE FROM chunk_sets WHERE id = $1', [id]);
  }
  await sql.query('SELECT summarise_document_chunks($1::uuid[])', [[document.id]]);
}

interface Stored {
  id: string;
  collectionId: string;
}

/**
 * Two collections on the previous schema, written as its repositories wrote them: one by
 * single-document replacements (one document re-chunked, so a set was retired and deleted), one by
 * an operation (its chunks name it).
 */
async function writeBeforeUpgrade(backend: Backend, migrationsDir: string): Promise<Written> {
  const db = await backend.open(migrationsDir);
  let tenantId: string;
  let replaced: Stored[];
  let batched: Stored[];
  let operationId: string;
  try {
    await db.migrate();
    const tenant = await db.tenants.ensureTenant('upgraded');
    tenantId = tenant.id;
    const create = async (collectionId: string, names: string[]) => {
      const stored: Stored[] = [];
      for (const name of names) {
        const document = await db.documents.create(tenant.id, collectionId, {
          name,
          contentType: 'text/plain',
          content: `${name} text`,
        });
        stored.push({ id: document.id, collectionId });
      }
      return stored;
    };
    replaced = await create((await db.collections.create(tenant.id, { name: 'replaced' })).id, [
      'a',
      'b',
      'c',
    ]);
    const batchedCollection = await db.collections.create(tenant.id, { name: 'batched' });
    batched = await create(batchedCollection.id, ['x', 'y']);
    operationId = (
      await db.operations.create(tenant.id, {
        collectionId: batchedCollection.id,
        strategy: 'fixed',
        config: {},
      })
    ).id;
  } finally {
    await db.close();
  }
  await backend.withSql(async (sql) => {
    for (const [index, document] of replaced.entries()) {
      const name = ['a', 'b', 'c'][index];
      await writeSetAsBefore(sql, document, chunksOf(`${name}-first`, 5), null);
      if (name === 'a') await writeSetAsBefore(sql, document, chunksOf(`${name}-again`, 9), null);
    }
    for (const [index, document] of batched.entries()) {
      await writeSetAsBefore(sql, document, chunksOf(`batched-${index}`, 6 + index), operationId);
    }
  });
  return { tenantId, collectionIds: [replaced[0]?.collectionId ?? '', batched[0]?.collectionId ?? ''] };
}

async function exported(db: Database, tenantId: string, collectionId: string): Promise<ExportedChunk[]> {
  const all: ExportedChunk[] = [];
  for await (const batch of db.chunks.exportBatches(tenantId, { collectionId }, { batchRows: 4 })) {
    all.push(...batch);
  }
  return all;
}

/** Every API-level read of the collections' chunks: listings page by page, each chunk by id, statistics, export. */
async function apiReads(db: Database, { tenantId, collectionIds }: Written) {
  return Promise.all(
    collectionIds.map(async (collectionId) => {
      const listed = await readAll((cursor) =>
        db.chunks.list(tenantId, { collectionId }, { limit: 4, ...(cursor ? { cursor } : {}) }),
      );
      return {
        listed,
        byId: await Promise.all(listed.map((chunk) => db.chunks.get(tenantId, chunk.id))),
        statistics: await db.statistics.forCollection(tenantId, collectionId),
        exported: await exported(db, tenantId, collectionId),
      };
    }),
  );
}

/** Every stored row of the chunk tables, as PostgreSQL gives them back. */
async function storedRows(sql: pg.ClientBase) {
  const rows = async (statement: string) => (await sql.query(statement)).rows;
  return {
    chunks: await rows('SELECT * FROM chunks ORDER BY id'),
    sets: await rows('SELECT * FROM chunk_sets ORDER BY id'),
    summaries: await rows('SELECT * FROM document_chunk_stats ORDER BY document_id'),
  };
}

/** Where each collection's chunk rows are: the partition of chunks holding them. */
async function partitionsOf(sql: pg.ClientBase) {
  const {
    rows: [table],
  } = await sql.query(
    `SELECT c.relkind, pg_get_partkeydef(c.oid) AS key,
       (SELECT count(*)::int FROM pg_inherits WHERE inhparent = c.oid) AS partitions
     FROM pg_class c WHERE c.oid = 'chunks'::regclass`,
  );
  const { rows } = await sql.query<{ collection_id: string; partitions: string[] }>(
    `SELECT collection_id, array_agg(DISTINCT tableoid::regclass::text) AS partitions
     FROM chunks GROUP BY collection_id`,
  );
  return { table, partitions: rows.map((row) => row.partitions) };
}

/**
 * What a process of the previous release gets when it creates a chunk set as it did, without the
 * collection (rolled back): the collection filled in, and for a document that does not exist, the
 * foreign-key violation it took as "deleted meanwhile".
 */
async function setsOfPreviousRelease(sql: pg.ClientBase, documentId: string) {
  await sql.query('BEGIN');
  try {
    const { rows } = await sql.query<{ collection_id: string }>(
      'INSERT INTO chunk_sets (document_id) VALUES ($1) RETURNING collection_id',
      [documentId],
    );
    return {
      collectionId: rows[0]?.collection_id,
      ofMissingDocument: await sql
        .query('INSERT INTO chunk_sets (document_id) VALUES (gen_random_uuid())')
        .then(
          () => 'inserted',
          (error: { code?: string }) => error.code,
        ),
    };
  } finally {
    await sql.query('ROLLBACK');
  }
}

interface Backend {
  open(migrationsDir?: string): Promise<Database>;
  /** Runs SQL on the database over a connection of its own (the embedded one while no Database is open). */
  withSql<T>(work: (sql: pg.ClientBase) => Promise<T>): Promise<T>;
  dispose(): Promise<void>;
}

async function connected<T>(config: pg.ClientConfig, work: (sql: pg.ClientBase) => Promise<T>): Promise<T> {
  const client = new pg.Client(config);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function scratchBackend(kind: BackendKind): Promise<Backend> {
  if (kind === 'postgres') {
    const testDb = await createTestDatabase();
    return {
      open: (migrationsDir) => openDatabase({ url: testDb.url, migrationsDir }),
      withSql: (work) => connected({ connectionString: testDb.url }, work),
      dispose: testDb.drop,
    };
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'chunkflow-pglite-'));
  return {
    open: (migrationsDir) => openDatabase({ dataDir, migrationsDir }),
    async withSql(work) {
      const server = await startEmbeddedPostgres(dataDir, () => {});
      try {
        return await connected({ host: server.socketDir, user: 'postgres', database: 'postgres' }, work);
      } finally {
        await server.close();
      }
    },
    dispose: () => rm(dataDir, { recursive: true, force: true }),
  };
}

describe.each(backendKinds)(
  'the migrations that partition chunks by collection and key them by it, on %s',
  (kind) => {
    let backend: Backend;
    let previousMigrations: string;
    let written: Written;
    let rowsBefore: Awaited<ReturnType<typeof storedRows>>;
    let rowsAfter: Awaited<ReturnType<typeof storedRows>>;
    let partitions: Awaited<ReturnType<typeof partitionsOf>>;
    let previousRelease: Awaited<ReturnType<typeof setsOfPreviousRelease>>;
    let db: Database;
    let applied: string[];

    beforeAll(async () => {
      backend = await scratchBackend(kind);
      previousMigrations = await migrationsBefore(PARTITIONING);
      written = await writeBeforeUpgrade(backend, previousMigrations);
      rowsBefore = await backend.withSql(storedRows);
      const upgrading = await backend.open();
      try {
        ({ applied } = await upgrading.migrate());
      } finally {
        await upgrading.close();
      }
      // Read over a connection of their own, which the embedded database (a single session) takes
      // only while no Database holds it.
      rowsAfter = await backend.withSql(storedRows);
      partitions = await backend.withSql(partitionsOf);
      previousRelease = await backend.withSql((sql) =>
        setsOfPreviousRelease(sql, String(rowsAfter.sets[0]?.document_id)),
      );
      db = await backend.open();
    }, 60_000);

    afterAll(async () => {
      await db?.close();
      await backend?.dispose();
      await rm(previousMigrations, { recursive: true, force: true });
    });

    it('are the migrations applied on top of data written by the previous schema', () => {
      // Those two first, then any committed since.
      expect(applied[0]).toMatch(new RegExp(`${PARTITIONING}$`));
      expect(applied[1]).toMatch(new RegExp(`${KEYS_WITH_COLLECTION}$`));
    });

    it('keeps every stored row, and puts each collection in one of 16 hash partitions', () => {
      // Chunk sets gained their document's collection and their chunks' operation, which the
      // chunks no longer carry; every other column is as it was.
      const documentCollection = new Map(
        rowsAfter.chunks.map((chunk) => [chunk.document_id, chunk.collection_id]),
      );
      const setOperation = new Map(rowsBefore.chunks.map((chunk) => [chunk.set_id, chunk.operation_id]));
      expect([...setOperation.values()].filter((id) => id !== null)).not.toHaveLength(0);
      for (const set of rowsAfter.sets) {
        expect(set.collection_id).toBe(documentCollection.get(set.document_id));
        expect(set.operation_id).toBe(setOperation.get(set.id));
      }
      expect({
        ...rowsAfter,
        sets: rowsAfter.sets.map(({ collection_id: _, operation_id: __, ...set }) => set),
      }).toEqual({ ...rowsBefore, chunks: rowsBefore.chunks.map(({ operation_id: _, ...chunk }) => chunk) });
      expect(partitions.table).toEqual({ relkind: 'p', key: 'HASH (collection_id)', partitions: 16 });
      expect(partitions.partitions).toHaveLength(written.collectionIds.length);
      for (const held of partitions.partitions) expect(held).toHaveLength(1);
    });

    it('lets processes of the previous release, mid-rollout, create chunk sets as they did', () => {
      expect(previousRelease).toEqual({
        collectionId: rowsAfter.sets[0]?.collection_id,
        ofMissingDocument: '23503',
      });
    });

    it('answers every listing page, chunk, statistic and export line from the rows written', async () => {
      const contents = (chunks: { content: string }[]) => chunks.map((chunk) => chunk.content).sort();
      const expected = [
        contents([...chunksOf('a-again', 9), ...chunksOf('b-first', 5), ...chunksOf('c-first', 5)]),
        contents([...chunksOf('batched-0', 6), ...chunksOf('batched-1', 7)]),
      ];
      const reads = await apiReads(db, written);
      expect(reads.map((read) => contents(read.listed))).toEqual(expected);
      expect(reads.map((read) => contents(read.exported))).toEqual(expected);
      for (const read of reads) {
        expect(read.byId).toEqual(read.listed);
        expect(read.statistics?.totalChunks).toBe(read.listed.length);
      }
    });

    it('re-chunks and deletes as before once partitioned', async () => {
      const [replaced] = written.collectionIds as [string];
      const total = async () => (await db.statistics.forCollection(written.tenantId, replaced))?.totalChunks;
      const { items } = await db.chunks.list(written.tenantId, { collectionId: replaced }, { limit: 1 });
      const documentId = items[0]?.documentId ?? '';
      const chunksOfDocument = () =>
        readAll((cursor) =>
          db.chunks.list(
            written.tenantId,
            { collectionId: replaced, documentId },
            { limit: 10, ...(cursor ? { cursor } : {}) },
          ),
        );
      const others = Number(await total()) - (await chunksOfDocument()).length;

      expect(await db.chunks.replaceDocumentChunks(documentId, chunksOf('after', 3))).toBe(3);
      expect((await chunksOfDocument()).map((chunk) => chunk.content)).toEqual(
        chunksOf('after', 3).map((chunk) => chunk.content),
      );
      expect(await total()).toBe(others + 3);

      await db.documents.delete(written.tenantId, documentId);
      expect(await chunksOfDocument()).toEqual([]);
      expect(await total()).toBe(others);
    });
  },
);
