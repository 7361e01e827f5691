import { createHash } from 'node:crypto';
import { appendFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { type Database, MigrationError, openDatabase } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing.ts';
import { copyOfMigrations, repositoryMigrationsDir } from './support/migrations-dir.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function freshDatabase(): Promise<TestDatabase> {
  const testDb = await createTestDatabase();
  cleanups.push(testDb.drop);
  return testDb;
}

async function open(url: string, migrationsDir?: string): Promise<Database> {
  const db = await openDatabase({ url, migrationsDir });
  cleanups.push(() => db.close());
  return db;
}

async function migrationRows(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      'SELECT migration_name, checksum, finished_at, rolled_back_at, logs, applied_steps_count FROM _prisma_migrations ORDER BY migration_name',
    );
    return rows;
  } finally {
    await client.end();
  }
}

const committedNames = async () =>
  (await readdir(repositoryMigrationsDir, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();

describe('migrate() on PostgreSQL', () => {
  it('applies every committed migration and records it as prisma migrate would', async () => {
    const { url } = await freshDatabase();
    const db = await open(url);

    const names = await committedNames();
    expect(await db.migrate()).toEqual({ applied: names });

    const rows = await migrationRows(url);
    expect(rows.map((row) => row.migration_name)).toEqual(names);
    for (const row of rows) {
      const file = await readFile(join(repositoryMigrationsDir, row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(file).digest('hex'));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
  });

  it('is a no-op when run again', async () => {
    const { url } = await freshDatabase();
    const db = await open(url);
    await db.migrate();

    expect(await db.migrate()).toEqual({ applied: [] });
    expect(await migrationRows(url)).toHaveLength((await committedNames()).length);
  });

  it('lets only one of two concurrent migrators apply each migration', async () => {
    const { url } = await freshDatabase();
    const [first, second] = [await open(url), await open(url)];

    const results = await Promise.all([first.migrate(), second.migrate()]);

    const appliedByBoth = results.flatMap((result) => result.applied).sort();
    expect(appliedByBoth).toEqual(await committedNames());
    expect(await migrationRows(url)).toHaveLength(appliedByBoth.length);
  });

  it('refuses to run when an applied migration was modified', async () => {
    const { url } = await freshDatabase();
    const dir = await copyOfMigrations();
    const [firstName] = await committedNames();
    await (await open(url, dir)).migrate();

    await appendFile(join(dir, String(firstName), 'migration.sql'), '\n-- edited after being applied\n');

    await expect((await open(url, dir)).migrate()).rejects.toThrow(MigrationError);
    await expect((await open(url, dir)).migrate()).rejects.toThrow(/modified after it was applied/);
  });

  it('applies a new migration after the applied ones', async () => {
    const { url } = await freshDatabase();
    const dir = await copyOfMigrations();
    const db = await open(url, dir);
    await db.migrate();

    await mkdir(join(dir, '29991231000000_add_notes'));
    await writeFile(
      join(dir, '29991231000000_add_notes', 'migration.sql'),
      'CREATE TABLE "notes" ("id" INTEGER);\n',
    );

    expect(await db.migrate()).toEqual({ applied: ['29991231000000_add_notes'] });
  });

  it('rolls a failing migration back entirely and records nothing', async () => {
    const { url } = await freshDatabase();
    const dir = await copyOfMigrations();
    const db = await open(url, dir);
    await db.migrate();
    await mkdir(join(dir, '29991231000000_broken'));
    await writeFile(
      join(dir, '29991231000000_broken', 'migration.sql'),
      'CREATE TABLE "half_done" ("id" INTEGER);\nSELECT no_such_function();\n',
    );

    await expect(db.migrate()).rejects.toThrow(/no_such_function/);

    const names = (await migrationRows(url)).map((row) => row.migration_name);
    expect(names).not.toContain('29991231000000_broken');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query("SELECT to_regclass('half_done') AS table");
    await client.end();
    expect(rows[0].table).toBeNull();
  });
});
