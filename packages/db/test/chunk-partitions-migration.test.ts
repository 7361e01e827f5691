import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, type ExportedChunk, type NewChunk, openDatabase } from '../src/index.ts';
import { createTestDatabase } from '../src/testing.ts';
import { type BackendKind, backendKinds } from './support/backends.ts';
import { readAll } from './support/chunks.ts';
import { copyOfMigrations } from './support/migrations-dir.ts';
import { processingOperation } from './support/operations.ts';

const PARTITIONING = '_chunks_by_collection_partitions';

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

/** The committed migrations before the one that partitions chunks, in a scratch directory. */
async function migrationsBeforePartitioning(): Promise<string> {
  const dir = await copyOfMigrations();
  const names = (await readdir(dir)).sort();
  const partitioning = names.find((name) => name.endsWith(PARTITIONING));
  if (!partitioning) throw new Error('expected the migration that partitions chunks');
  for (const later of names.filter((name) => name >= partitioning && !name.endsWith('.toml'))) {
    await rm(join(dir, later), { recursive: true });
  }
  return dir;
}

interface Written {
  tenantId: string;
  collectionIds: string[];
}

/**
 * Two collections written through the repositories on the previous schema: one by single-document
 * replacements (one document re-chunked, so a set was retired and deleted), one by an operation's
 * batch (COPY on PostgreSQL).
 */
async function writeBeforeUpgrade(db: Database): Promise<Written> {
  const tenant = await db.tenants.ensureTenant('upgraded');
  const replaced = await db.collections.create(tenant.id, { name: 'replaced' });
  const batched = await db.collections.create(tenant.id, { name: 'batched' });
  const create = (collectionId: string, name: string) =>
    db.documents.create(tenant.id, collectionId, {
      name,
      contentType: 'text/plain',
      content: `${name} text`,
    });

  for (const name of ['a', 'b', 'c']) {
    const document = await create(replaced.id, name);
    await db.chunks.replaceDocumentChunks(document.id, chunksOf(`${name}-first`, 5));
    if (name === 'a') await db.chunks.replaceDocumentChunks(document.id, chunksOf(`${name}-again`, 9));
  }
  const documents = [await create(batched.id, 'x'), await create(batched.id, 'y')];
  const operationId = await processingOperation(
    db,
    tenant.id,
    batched.id,
    documents.map((document) => document.id),
  );
  await db.chunks.writeOperationBatch({
    operationId,
    slice: 0,
    sliceDoneBefore: 0,
    documentsDone: documents.length,
    documents: documents.map((document, index) => ({
      documentId: document.id,
      chunks: chunksOf(`batched-${index}`, 6 + index),
    })),
  });
  return { tenantId: tenant.id, collectionIds: [replaced.id, batched.id] };
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
      const pages: unknown[] = [];
      const listed = await readAll(async (cursor) => {
        const page = await db.chunks.list(
          tenantId,
          { collectionId },
          { limit: 4, ...(cursor ? { cursor } : {}) },
        );
        pages.push(page);
        return page;
      });
      return {
        pages,
        byId: await Promise.all(listed.map((chunk) => db.chunks.get(tenantId, chunk.id))),
        statistics: await db.statistics.forCollection(tenantId, collectionId),
        exported: await exported(db, tenantId, collectionId),
      };
    }),
  );
}

/** Every stored row of the chunk tables, as PostgreSQL gives them back. */
async function storedRows(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const rows = async (sql: string) => (await client.query(sql)).rows;
    return {
      chunks: await rows('SELECT * FROM chunks ORDER BY id'),
      sets: await rows('SELECT * FROM chunk_sets ORDER BY id'),
      summaries: await rows('SELECT * FROM document_chunk_stats ORDER BY document_id'),
    };
  } finally {
    await client.end();
  }
}

/** Where each collection's chunk rows are: the partition of chunks holding them. */
async function partitionsOf(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const {
      rows: [table],
    } = await client.query(
      `SELECT c.relkind, pg_get_partkeydef(c.oid) AS key,
         (SELECT count(*)::int FROM pg_inherits WHERE inhparent = c.oid) AS partitions
       FROM pg_class c WHERE c.oid = 'chunks'::regclass`,
    );
    const { rows } = await client.query<{ collection_id: string; partitions: string[] }>(
      `SELECT collection_id, array_agg(DISTINCT tableoid::regclass::text) AS partitions
       FROM chunks GROUP BY collection_id`,
    );
    return { table, partitions: rows.map((row) => row.partitions) };
  } finally {
    await client.end();
  }
}

interface Backend {
  open(migrationsDir?: string): Promise<Database>;
  /** PostgreSQL's connection string; the embedded database has none to read it by. */
  url: string | undefined;
  dispose(): Promise<void>;
}

async function scratchBackend(kind: BackendKind): Promise<Backend> {
  if (kind === 'postgres') {
    const testDb = await createTestDatabase();
    return {
      open: (migrationsDir) => openDatabase({ url: testDb.url, migrationsDir }),
      url: testDb.url,
      dispose: testDb.drop,
    };
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'chunkflow-pglite-'));
  return {
    open: (migrationsDir) => openDatabase({ dataDir, migrationsDir }),
    url: undefined,
    dispose: () => rm(dataDir, { recursive: true, force: true }),
  };
}

describe.each(backendKinds)('the migration that partitions chunks by collection, on %s', (kind) => {
  let backend: Backend;
  let previousMigrations: string;
  let written: Written;
  let readsBefore: Awaited<ReturnType<typeof apiReads>>;
  let rowsBefore: Awaited<ReturnType<typeof storedRows>> | undefined;
  let db: Database;
  let applied: string[];

  beforeAll(async () => {
    backend = await scratchBackend(kind);
    previousMigrations = await migrationsBeforePartitioning();
    const before = await backend.open(previousMigrations);
    try {
      await before.migrate();
      written = await writeBeforeUpgrade(before);
      readsBefore = await apiReads(before, written);
    } finally {
      await before.close();
    }
    rowsBefore = backend.url === undefined ? undefined : await storedRows(backend.url);
    db = await backend.open();
    ({ applied } = await db.migrate());
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    await backend?.dispose();
    await rm(previousMigrations, { recursive: true, force: true });
  });

  it('is the one migration applied on top of data written by the previous schema', () => {
    expect(applied).toHaveLength(1);
    expect(applied[0]).toMatch(new RegExp(`${PARTITIONING}$`));
    expect(readsBefore.map((reads) => reads.exported.length)).toEqual([5 + 9 + 5, 6 + 7]);
  });

  it('answers every listing page, chunk, statistic and export line as before', async () => {
    expect(await apiReads(db, written)).toEqual(readsBefore);
  });

  // Rows and partitions are read over PostgreSQL's own connection; the embedded one has no URL.
  if (kind === 'postgres') {
    it('keeps every stored row, and puts each collection in one of 16 hash partitions', async () => {
      const url = backend.url ?? '';
      expect(await storedRows(url)).toEqual(rowsBefore);
      const { table, partitions } = await partitionsOf(url);
      expect(table).toEqual({ relkind: 'p', key: 'HASH (collection_id)', partitions: 16 });
      expect(partitions).toHaveLength(written.collectionIds.length);
      for (const held of partitions) expect(held).toHaveLength(1);
    });
  }

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
});
