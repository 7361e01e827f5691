import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, type NewChunk, openDatabase } from '../src/index.ts';
import { storedCharacters } from '../src/repositories/batch-summaries.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing.ts';
import { chunksOfSizes } from './support/chunks.ts';
import { processingOperation } from './support/operations.ts';

let testDb: TestDatabase;
let db: Database;
let admin: pg.Client;
let tenantId: string;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = await openDatabase({ url: testDb.url });
  await db.migrate();
  tenantId = (await db.tenants.ensureTenant('summaries')).id;
  admin = new pg.Client({ connectionString: testDb.url });
  await admin.connect();
});
afterAll(async () => {
  await admin?.end();
  await db?.close();
  await testDb?.drop();
});

/** Headers PostgreSQL counts otherwise than JS: astral characters, a lone surrogate, none. */
const HEADERS = ['', 'Guide > Setup\n\n', 'Emoji 🙂 and 𝄞\n', 'lone \ud83d surrogate\n', '漢字\n'];

/** Chunks of these sizes (repeats included), each with one of the headers in turn. */
function chunksWithHeaders(sizes: readonly number[], shift: number): NewChunk[] {
  return chunksOfSizes(sizes).map((chunk, index) => ({
    ...chunk,
    embedHeader: HEADERS[(index + shift) % HEADERS.length] ?? '',
  }));
}

const summaryRows = async () =>
  (await admin.query('SELECT * FROM document_chunk_stats ORDER BY document_id')).rows;
const rollUps = async () =>
  (await admin.query('SELECT * FROM collection_chunk_sizes ORDER BY collection_id, kind, size')).rows;

describe('the summaries an operation batch writes from its rows', () => {
  it('equal what summarise_document_chunks computes from the stored rows, and the roll-ups with them', async () => {
    const { id: collectionId } = await db.collections.create(tenantId, { name: 'summarised' });
    const documentIds: string[] = [];
    for (const name of ['many', 'one', 'emptied', 'repeated']) {
      const document = await db.documents.create(tenantId, collectionId, {
        name,
        contentType: 'text/plain',
        content: `${name} text`,
      });
      documentIds.push(document.id);
    }
    const [many, one, emptied, repeated] = documentIds as [string, string, string, string];
    // The emptied document had chunks, so it has a summary to lose.
    await db.chunks.replaceDocumentChunks(emptied, chunksOfSizes([3, 4]));
    const operationId = await processingOperation(db, tenantId, collectionId, documentIds);
    const outcome = await db.chunks.writeOperationBatch({
      operationId,
      slice: 0,
      sliceDoneBefore: 0,
      documentsDone: 4,
      documents: [
        { documentId: many, chunks: chunksWithHeaders([40, 12, 40, 7, 33, 12, 40, 1], 0) },
        { documentId: one, chunks: chunksWithHeaders([25], 2) },
        { documentId: emptied, chunks: [] },
        { documentId: repeated, chunks: chunksWithHeaders([9, 9, 9, 9, 9, 9], 3) },
      ],
    });
    expect(outcome).toMatchObject({ written: true, chunks: 15 });

    const written = { summaries: await summaryRows(), rollUps: await rollUps() };
    expect(written.summaries.map((row) => row.document_id).sort()).toEqual([many, one, repeated].sort());
    await admin.query('SELECT summarise_document_chunks($1::uuid[])', [documentIds]);
    expect({ summaries: await summaryRows(), rollUps: await rollUps() }).toEqual(written);
  });
});

describe('storedCharacters', () => {
  it('counts characters as PostgreSQL’s length() does', async () => {
    for (const text of [...HEADERS, '\ud83d', '\ude00x', '🙂🙂\ud83d', 'a\udc00\ud83d🙂']) {
      const { rows } = await admin.query<{ length: number }>('SELECT length($1::text) AS length', [text]);
      expect(storedCharacters(text)).toBe(rows[0]?.length);
    }
  });
});
