import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, type DbLogger, openDatabase, type Tenant } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing.ts';

const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const operationInput = (collectionId: string) => ({ collectionId, strategy: 'recursive', config: {} });
const chunk = { chunkIndex: 0, startOffset: 0, endOffset: 4, charCount: 4, tokenCount: 1, content: 'text' };

type SeededRows = Record<'collection' | 'document' | 'operation' | 'preset', string>;

/** One row of each kind named after `label`; the document and operation go into `into` when given. */
async function seedRows(
  database: Database,
  tenant: Tenant,
  label: string,
  into?: string,
): Promise<SeededRows> {
  const collection = (await database.collections.create(tenant.id, { name: label })).id;
  const owner = into ?? collection;
  const document = (
    await database.documents.create(tenant.id, owner, {
      name: `${label}.txt`,
      contentType: 'text/plain',
      content: `${label} text`,
    })
  ).id;
  await database.chunks.replaceDocumentChunks(document, [chunk]);
  const operation = (await database.operations.create(tenant.id, operationInput(owner))).id;
  const preset = (
    await database.presets.create(tenant.id, { name: label, strategy: 'recursive', config: {} })
  ).id;
  return { collection, document, operation, preset };
}

/**
 * The "replica" is a copy of the primary taken before the second round of writes: a replica that
 * has not caught up. Reads showing only the first round ran on it; reads showing the second round
 * ran on the primary. No replication is needed to tell them apart.
 */
describe('read replicas on PostgreSQL', () => {
  let primary: TestDatabase;
  let replica: TestDatabase;
  let db: Database;
  let closed = false;
  let tenant: Tenant;
  let before: SeededRows;
  let after: SeededRows;

  beforeAll(async () => {
    primary = await createTestDatabase();
    const seeding = await openDatabase({ url: primary.url });
    await seeding.migrate();
    tenant = await seeding.tenants.ensureTenant('acme');
    before = await seedRows(seeding, tenant, 'before');
    await seeding.close();
    replica = await createTestDatabase({ template: primary.name });

    const replicaUrl = new URL(replica.url);
    replicaUrl.searchParams.set('application_name', 'chunkflow_replica');
    db = await openDatabase({ url: primary.url, replicaUrls: [replicaUrl.toString()] });
    // Ended on the primary only, so the second round may start one (one active per collection).
    await db.operations.transition(before.operation, ['pending'], 'cancelled');
    // Its document and operation go into the first round's collection, which the replica has.
    after = await seedRows(db, tenant, 'after', before.collection);
  });

  afterAll(async () => {
    if (!closed) await db?.close();
    await replica?.drop();
    await primary?.drop();
  });

  it('lists from the replica', async () => {
    const page = { limit: 10 };
    const ids = <T extends { id: string }>(items: T[]) => items.map((item) => item.id);
    expect(ids((await db.collections.list(tenant.id, page)).items)).toEqual([before.collection]);
    expect(ids((await db.documents.list(tenant.id, before.collection, page)).items)).toEqual([
      before.document,
    ]);
    const chunks = await db.chunks.list(tenant.id, { collectionId: before.collection }, page);
    expect(chunks.items.map((item) => item.documentId)).toEqual([before.document]);
    const operations = await db.operations.list(tenant.id, { collectionId: before.collection }, page);
    expect(ids(operations.items)).toEqual([before.operation]);
    expect(ids((await db.presets.list(tenant.id, page)).items)).toEqual([before.preset]);
    // A collection the replica has not caught up with yet is unknown to listings.
    await expect(db.documents.list(tenant.id, after.collection, page)).rejects.toThrow(/not found/i);
  });

  it('reads statistics from the replica', async () => {
    const statistics = await db.statistics.forCollection(tenant.id, before.collection);
    expect(statistics).toMatchObject({ totalDocuments: 1, totalChunks: 1 });
    expect(statistics?.operationsByStatus.pending).toBe(1);
    expect(await db.statistics.forCollection(tenant.id, after.collection)).toBeNull();
  });

  it('keeps gets and writes on the primary', async () => {
    expect((await db.collections.get(tenant.id, after.collection))?.name).toBe('after');
    expect((await db.documents.get(tenant.id, after.document))?.name).toBe('after.txt');
    expect((await db.operations.get(tenant.id, after.operation))?.id).toBe(after.operation);
    expect((await db.presets.getByName(tenant.id, 'after'))?.id).toBe(after.preset);
  });

  it('connects to the replica under its own URL and closes those connections', async () => {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    const replicaSessions = async () =>
      (
        await admin.query<{ application_name: string }>(
          'SELECT application_name FROM pg_stat_activity WHERE datname = $1',
          [replica.name],
        )
      ).rows.map((row) => row.application_name);
    try {
      await db.presets.list(tenant.id, { limit: 1 });
      const sessions = await replicaSessions();
      expect(sessions.length).toBeGreaterThan(0);
      expect(new Set(sessions)).toEqual(new Set(['chunkflow_replica']));
      await db.close();
      closed = true;
      await expect.poll(replicaSessions).toEqual([]);
    } finally {
      await admin.end();
    }
  });
});

describe('read replicas on PGlite', () => {
  it('ignores them with a warning', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'chunkflow-pglite-'));
    const warnings: string[] = [];
    const logger: DbLogger = { info() {}, error() {}, warn: (_details, message) => warnings.push(message) };
    const db = await openDatabase({ dataDir, logger, replicaUrls: ['postgresql://replica.invalid/db'] });
    try {
      expect(db.kind).toBe('pglite');
      expect((await db.ping()).ok).toBe(true);
      expect(warnings).toEqual([expect.stringMatching(/replica/)]);
    } finally {
      await db.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
