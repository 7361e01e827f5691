import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/index.ts';
import { createTestDatabase } from '../src/testing.ts';
import { copyOfMigrations } from './support/migrations-dir.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('pendingMigrations()', () => {
  it('lists every migration before migrate, none after, and a newly added one until applied', async () => {
    const testDb = await createTestDatabase();
    cleanups.push(testDb.drop);
    const migrationsDir = await copyOfMigrations();
    const db = await openDatabase({ url: testDb.url, migrationsDir });
    cleanups.push(() => db.close());

    const before = await db.pendingMigrations();
    expect(before.length).toBeGreaterThan(0);
    expect(before).toEqual([...before].sort());

    await db.migrate();
    expect(await db.pendingMigrations()).toEqual([]);

    const added = '29990101000000_add_note';
    await mkdir(join(migrationsDir, added));
    await writeFile(join(migrationsDir, added, 'migration.sql'), 'CREATE TABLE "note" ("id" INTEGER);');
    expect(await db.pendingMigrations()).toEqual([added]);
    await db.migrate();
    expect(await db.pendingMigrations()).toEqual([]);
  });
});
