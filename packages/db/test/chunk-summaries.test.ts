import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CollectionStatistics,
  type Database,
  openDatabase,
  type StoredChunk,
  type Tenant,
} from '../src/index.ts';
import { createTestDatabase } from '../src/testing.ts';
import { type BackendKind, backendKinds, openBackend } from './support/backends.ts';
import { chunksOfSizes, readAll } from './support/chunks.ts';
import { copyOfMigrations } from './support/migrations-dir.ts';

const DOCUMENTS = 3;

/** The chunk figures of the statistics, computed the slow way from every stored chunk. */
function expectedFigures(chunks: readonly StoredChunk[]) {
  const sizes = chunks.map((chunk) => chunk.charCount);
  if (sizes.length === 0)
    return { totalChunks: 0, avgChunkSize: 0, minChunkSize: 0, maxChunkSize: 0, binned: 0 };
  return {
    totalChunks: sizes.length,
    avgChunkSize: sizes.reduce((sum, size) => sum + size, 0) / sizes.length,
    minChunkSize: Math.min(...sizes),
    maxChunkSize: Math.max(...sizes),
    binned: sizes.length,
  };
}

function figuresOf(statistics: CollectionStatistics | null) {
  if (!statistics) throw new Error('expected statistics for the collection');
  const { totalChunks, avgChunkSize, minChunkSize, maxChunkSize, sizeDistribution } = statistics;
  return {
    totalChunks,
    avgChunkSize,
    minChunkSize,
    maxChunkSize,
    binned: sizeDistribution.reduce((sum, bin) => sum + bin.count, 0),
  };
}

/** Replace one document's chunks with these sizes (empty: none), or delete it. */
type Action = { document: number; sizes: number[] | 'delete' };
/** Actions run at once: two on one document are a worker taking over another's operation. */
type Step = Action[];

const sizes = fc.oneof(
  { weight: 8, arbitrary: fc.array(fc.integer({ min: 1, max: 400 }), { maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constant('delete' as const) },
);
const action: fc.Arbitrary<Action> = fc.record({
  document: fc.integer({ min: 0, max: DOCUMENTS - 1 }),
  sizes,
});
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.array(action, { minLength: 1, maxLength: 3 }),
  // Concurrent replacements of the same document.
  fc
    .tuple(fc.integer({ min: 0, max: DOCUMENTS - 1 }), fc.array(sizes, { minLength: 2, maxLength: 3 }))
    .map(([document, sets]) => sets.map((set) => ({ document, sizes: set }))),
);

describe.each(backendKinds)('per-document chunk summaries on %s', (kind: BackendKind) => {
  let db: Database;
  let dispose: () => Promise<void>;
  let tenant: Tenant;

  beforeAll(async () => {
    ({ db, dispose } = await openBackend(kind));
    tenant = await db.tenants.ensureTenant('summaries');
  });
  afterAll(() => dispose?.());

  it('keep the statistics equal to what the stored chunks say, through concurrent replacements and deletions', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 10 }), async (steps) => {
        run += 1;
        const collection = await db.collections.create(tenant.id, { name: `run-${run}` });
        const documents = await Promise.all(
          Array.from({ length: DOCUMENTS }, (_, index) =>
            db.documents.create(tenant.id, collection.id, {
              name: `d${index}`,
              contentType: 'text/plain',
              content: `document ${index}`,
            }),
          ),
        );
        for (const actions of steps) {
          await Promise.all(
            actions.map(({ document, sizes }) => {
              const id = documents[document]?.id ?? '';
              if (sizes === 'delete') return db.documents.delete(tenant.id, id);
              return db.chunks.replaceDocumentChunks(id, chunksOfSizes(sizes));
            }),
          );
          const stored = await readAll((cursor) =>
            db.chunks.list(tenant.id, { collectionId: collection.id }, { cursor, limit: 100 }),
          );
          // Replacements of one document do not mix: it keeps one whole set, or none once deleted.
          documents.forEach((document, index) => {
            const kept = stored
              .filter((chunk) => chunk.documentId === document.id)
              .map((chunk) => chunk.charCount);
            const replaced = actions.filter((done) => done.document === index).map((done) => done.sizes);
            if (replaced.length > 0 && kept.length > 0) expect(replaced).toContainEqual(kept);
          });
          const statistics = await db.statistics.forCollection(tenant.id, collection.id);
          expect(figuresOf(statistics)).toEqual({
            ...expectedFigures(stored),
            avgChunkSize: expect.closeTo(expectedFigures(stored).avgChunkSize, 9),
          });
        }
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});

describe('the migration that adds the summaries', () => {
  it('summarises the chunks already stored', async () => {
    const testDb = await createTestDatabase();
    const migrations = await copyOfMigrations();
    try {
      // The committed migrations up to, not including, the one under test.
      const names = (await readdir(migrations)).sort();
      const summaries = names.find((name) => name.endsWith('_document_chunk_stats'));
      if (!summaries) throw new Error('expected the summaries migration');
      for (const later of names.filter((name) => name >= summaries && !name.endsWith('.toml'))) {
        await rm(join(migrations, later), { recursive: true });
      }

      const before = await openDatabase({ url: testDb.url, migrationsDir: migrations });
      await before.migrate();
      const tenant = await before.tenants.ensureTenant('upgraded');
      const collection = await before.collections.create(tenant.id, { name: 'old' });
      await before.close();
      // Rows are written as that schema had them: today's repositories know columns added later.
      const client = new pg.Client({ connectionString: testDb.url });
      await client.connect();
      const content = 'stored before the upgrade';
      const {
        rows: [document],
      } = await client.query<{ id: string }>(
        `INSERT INTO documents (tenant_id, collection_id, name, content_type, content, content_hash, size_bytes, char_count, updated_at)
         VALUES ($1, $2, 'd', 'text/plain', $3, 'hash', $4, $4, now()) RETURNING id`,
        [tenant.id, collection.id, content, content.length],
      );
      if (!document) throw new Error('expected the old document row');
      await client.query(
        `INSERT INTO chunks (document_id, collection_id, chunk_index, start_offset, end_offset, char_count, token_count, content)
         SELECT $1, $2, k, 0, 0, 10 * (1 + k % 3), 1, 'old' FROM generate_series(0, 8) AS k`,
        [document.id, collection.id],
      );
      await client.end();

      const after = await openDatabase({ url: testDb.url });
      try {
        await after.migrate();
        expect(figuresOf(await after.statistics.forCollection(tenant.id, collection.id))).toEqual({
          totalChunks: 9,
          avgChunkSize: 20,
          minChunkSize: 10,
          maxChunkSize: 30,
          binned: 9,
        });
        // And they stay the document's chunks once stored in chunk sets.
        const listed = await after.chunks.list(tenant.id, { collectionId: collection.id }, { limit: 20 });
        expect(listed.items.map((chunk) => chunk.chunkIndex)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
      } finally {
        await after.close();
      }
    } finally {
      await rm(migrations, { recursive: true, force: true });
      await testDb.drop();
    }
  });
});
