import { rm } from 'node:fs/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../src/index.ts';
import {
  createTestDatabase,
  migrationsBefore,
  seedSyntheticChunks,
  type TestDatabase,
} from '../src/testing.ts';
import { chunksOfSizes } from './support/chunks.ts';
import { processingOperation } from './support/operations.ts';

const FOREIGN_KEY_VIOLATION = '23503';
const KEYED_BY_SET = '_chunks_keyed_by_set';

let testDb: TestDatabase;
let db: Database;
let admin: pg.Client;
let tenantId: string;

interface Stored {
  collectionId: string;
  documentIds: string[];
}

/** A collection of `documents` documents, each with a live set of three chunks. */
async function storedCollection(name: string, documents = 2): Promise<Stored> {
  const { id: collectionId } = await db.collections.create(tenantId, { name });
  const documentIds: string[] = [];
  for (let index = 0; index < documents; index += 1) {
    const { id } = await db.documents.create(tenantId, collectionId, {
      name: `${name}-${index}`,
      contentType: 'text/plain',
      content: `${name} document ${index}`,
    });
    await db.chunks.replaceDocumentChunks(id, chunksOfSizes([5, 5, 5]));
    documentIds.push(id);
  }
  return { collectionId, documentIds };
}

async function liveSet(documentId: string): Promise<{ id: string; collection_id: string }> {
  const { rows } = await admin.query(
    `SELECT id, collection_id FROM chunk_sets WHERE document_id = $1 AND state = 'live'`,
    [documentId],
  );
  return rows[0];
}

/** Inserts one chunk row naming this document, collection and set (rolled back); answers the error code, or 'inserted'. */
async function insertChunk(documentId: string, collectionId: string, setId: string): Promise<string> {
  await admin.query('BEGIN');
  try {
    await admin.query(
      `INSERT INTO chunks (document_id, collection_id, set_id, chunk_index, start_offset, end_offset,
         char_count, token_count, content)
       VALUES ($1, $2, $3, 99, 0, 1, 1, 1, 'x')`,
      [documentId, collectionId, setId],
    );
    return 'inserted';
  } catch (error) {
    return String((error as { code?: string }).code);
  } finally {
    await admin.query('ROLLBACK');
  }
}

async function chunkRows(column: 'collection_id' | 'document_id', ids: string[]): Promise<number> {
  const { rows } = await admin.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM chunks WHERE ${column} = ANY($1::uuid[])`,
    [ids],
  );
  return rows[0]?.count ?? -1;
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = await openDatabase({ url: testDb.url });
  await db.migrate();
  admin = new pg.Client({ connectionString: testDb.url });
  await admin.connect();
  tenantId = (await db.tenants.ensureTenant('keys')).id;
}, 60_000);

afterAll(async () => {
  await admin?.end();
  await db?.close();
  await testDb?.drop();
});

describe('the chunks’ key to their set, its document and collection', () => {
  it('refuses a chunk whose set belongs to another document or collection', async () => {
    const { documentIds } = await storedCollection('refused');
    const [first, second] = documentIds as [string, string];
    const { collectionId: elsewhere } = await storedCollection('elsewhere', 1);
    const set = await liveSet(second);

    expect(await insertChunk(second, set.collection_id, set.id)).toBe('inserted');
    expect(await insertChunk(first, set.collection_id, set.id)).toBe(FOREIGN_KEY_VIOLATION);
    expect(await insertChunk(second, elsewhere, set.id)).toBe(FOREIGN_KEY_VIOLATION);
  });

  it('leaves no chunk of a deleted document, and the others’ in place', async () => {
    const { documentIds } = await storedCollection('document deleted');
    const [deleted, kept] = documentIds as [string, string];
    await db.documents.delete(tenantId, deleted);
    expect(await chunkRows('document_id', [deleted])).toBe(0);
    expect(await chunkRows('document_id', [kept])).toBe(3);
  });

  it('leaves no chunk of a deleted collection, and the others’ in place', async () => {
    const deleted = await storedCollection('collection deleted');
    const kept = await storedCollection('collection kept');
    expect(await db.collections.delete(tenantId, deleted.collectionId)).toBe(true);
    expect(await chunkRows('collection_id', [deleted.collectionId])).toBe(0);
    expect(await chunkRows('collection_id', [kept.collectionId])).toBe(6);
  });

  it('leaves no chunk of the sets a re-chunk retired', async () => {
    const { collectionId, documentIds } = await storedCollection('re-chunked');
    const retired = await Promise.all(documentIds.map(liveSet));
    const outcome = await db.chunks.writeOperationBatch({
      operationId: await processingOperation(db, tenantId, collectionId, documentIds),
      slice: 0,
      sliceDoneBefore: 0,
      documentsDone: documentIds.length,
      documents: documentIds.map((documentId) => ({ documentId, chunks: chunksOfSizes([7, 8]) })),
    });
    expect(outcome).toMatchObject({ written: true, chunks: 4 });
    const { rows } = await admin.query<{ sets: number }>(
      'SELECT count(*)::int AS sets FROM chunk_sets WHERE id = ANY($1::uuid[])',
      [retired.map((set) => set.id)],
    );
    expect(rows[0]?.sets).toBe(0);
    const { rows: left } = await admin.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM chunks WHERE collection_id = $1 AND set_id = ANY($2::uuid[])',
      [collectionId, retired.map((set) => set.id)],
    );
    expect(left[0]?.count).toBe(0);
    expect(await chunkRows('collection_id', [collectionId])).toBe(4);
  });
});

describe('the migration that keys chunks by their set alone', () => {
  it('keeps the chunks written before it, under the one key, which cascades a document’s delete', async () => {
    const upgraded = await createTestDatabase();
    const previous = await migrationsBefore(KEYED_BY_SET);
    const sql = new pg.Client({ connectionString: upgraded.url });
    let after: Database | undefined;
    try {
      const before = await openDatabase({ url: upgraded.url, migrationsDir: previous });
      let documentIds: string[];
      try {
        await before.migrate();
        const tenant = await before.tenants.ensureTenant('upgraded');
        const { id: collectionId } = await before.collections.create(tenant.id, { name: 'upgraded' });
        const stored = await before.documents.createMany(
          tenant.id,
          collectionId,
          ['a', 'b', 'c'].map((name) => ({ name, contentType: 'text/plain', content: `${name} text` })),
        );
        documentIds = stored.map((item) => (item.status === 'created' ? item.document.id : ''));
        await seedSyntheticChunks(upgraded.url, collectionId, { perDocument: 4, content: 'some words' });
      } finally {
        await before.close();
      }
      await sql.connect();
      const rows = async () => (await sql.query('SELECT * FROM chunks ORDER BY id')).rows;
      const rowsBefore = await rows();
      after = await openDatabase({ url: upgraded.url });
      const { applied } = await after.migrate();
      expect(applied[0]).toMatch(new RegExp(`${KEYED_BY_SET}$`));
      // Later migrations moved the operation from chunks to their sets (these chunks had none).
      expect(await rows()).toEqual(rowsBefore.map(({ operation_id: _, ...row }) => row));
      const { rows: keys } = await sql.query<{ key: string }>(
        `SELECT pg_get_constraintdef(oid) AS key FROM pg_constraint
         WHERE conrelid = 'chunks'::regclass AND contype = 'f'`,
      );
      expect(keys.map((row) => row.key)).toEqual([
        'FOREIGN KEY (collection_id, document_id, set_id) REFERENCES chunk_sets(collection_id, document_id, id) ON UPDATE CASCADE ON DELETE CASCADE',
      ]);
      await sql.query('DELETE FROM documents WHERE id = $1', [documentIds[0]]);
      expect(rowsBefore).toHaveLength(12);
      expect(await rows()).toEqual(
        rowsBefore
          .filter((row) => row.document_id !== documentIds[0])
          .map(({ operation_id: _, ...row }) => row),
      );
    } finally {
      await after?.close();
      await sql.end();
      await upgraded.drop();
      await rm(previous, { recursive: true, force: true });
    }
  }, 60_000);
});
