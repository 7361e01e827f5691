import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DbLogger } from './logger.ts';
import type { SqlDriver, SqlSession } from './sql.ts';

/**
 * The committed migrations (Prisma's folder layout): the repository's prisma/migrations when run
 * from source; once built, the copy the build puts beside this module (dist/migrations), so a
 * deployed package carries the migrations its code expects.
 */
export const defaultMigrationsDir = fileURLToPath(
  new URL(import.meta.url.endsWith('.ts') ? '../../../prisma/migrations' : './migrations', import.meta.url),
);

/** The advisory lock key `prisma migrate` takes, so our runner and Prisma's exclude each other. */
const PRISMA_MIGRATION_LOCK_KEY = 72707369;

/** Prisma's own bookkeeping table, column for column, so `prisma migrate deploy` agrees with us. */
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface LocalMigration {
  name: string;
  script: string;
  /** SHA-256 hex of migration.sql, as Prisma computes it. */
  checksum: string;
}

interface AppliedMigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export async function readMigrations(dir: string): Promise<LocalMigration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const bytes = await readFile(join(dir, name, 'migration.sql'));
      return {
        name,
        script: bytes.toString('utf8'),
        checksum: createHash('sha256').update(bytes).digest('hex'),
      };
    }),
  );
}

async function appliedMigrations(session: SqlSession): Promise<Map<string, AppliedMigrationRow>> {
  const rows = await session.query<AppliedMigrationRow>(
    'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL',
  );
  return new Map(rows.map((row) => [row.migration_name, row]));
}

function verifyApplied(local: LocalMigration, applied: AppliedMigrationRow): void {
  if (applied.finished_at === null) {
    throw new MigrationError(
      `Migration ${local.name} started but never finished; resolve it (prisma migrate resolve) before migrating`,
    );
  }
  if (applied.checksum !== local.checksum) {
    throw new MigrationError(
      `Migration ${local.name} was modified after it was applied (checksum ${applied.checksum} in the database, ${local.checksum} on disk); add a new migration instead`,
    );
  }
}

async function apply(session: SqlSession, migration: LocalMigration): Promise<void> {
  await session.transaction(async (tx) => {
    const id = randomUUID();
    await tx.query(
      'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())',
      [id, migration.checksum, migration.name],
    );
    await tx.exec(migration.script);
    await tx.query(
      'UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1',
      [id],
    );
  });
}

/**
 * Names of the migrations on disk that the database has not finished applying, in name order
 * (readiness: a server must not serve a schema older than its code).
 */
export async function pendingMigrations(driver: SqlDriver, migrationsDir: string): Promise<string[]> {
  const local = await readMigrations(migrationsDir);
  return driver.withSession(async (session) => {
    const [table] = await session.query<{ exists: boolean }>(
      'SELECT to_regclass(\'"_prisma_migrations"\') IS NOT NULL AS exists',
    );
    if (!table?.exists) return local.map((migration) => migration.name);
    const applied = await appliedMigrations(session);
    return local
      .filter((migration) => applied.get(migration.name)?.finished_at == null)
      .map((migration) => migration.name);
  });
}

/**
 * Applies the migrations not yet applied, in name order, each in its own transaction. Applied
 * ones are verified against their checksum; a modified applied migration stops everything.
 * Concurrent migrators (other processes, or `prisma migrate`) wait on Prisma's advisory lock.
 */
export async function runMigrations(
  driver: SqlDriver,
  migrationsDir: string,
  logger?: DbLogger,
): Promise<{ applied: string[] }> {
  const local = await readMigrations(migrationsDir);
  return driver.withSession(async (session) => {
    await session.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATION_LOCK_KEY]);
    try {
      await session.exec(CREATE_MIGRATIONS_TABLE);
      const applied = await appliedMigrations(session);
      const localNames = new Set(local.map((migration) => migration.name));
      for (const name of applied.keys()) {
        if (!localNames.has(name)) logger?.warn({ migration: name }, 'applied migration missing on disk');
      }
      const newlyApplied: string[] = [];
      for (const migration of local) {
        const existing = applied.get(migration.name);
        if (existing) {
          verifyApplied(migration, existing);
          continue;
        }
        await apply(session, migration);
        newlyApplied.push(migration.name);
        logger?.info({ migration: migration.name }, 'migration applied');
      }
      return { applied: newlyApplied };
    } finally {
      await session.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATION_LOCK_KEY]);
    }
  });
}
