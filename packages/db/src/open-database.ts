import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { DbLogger } from './logger.ts';
import { defaultMigrationsDir, pendingMigrations, runMigrations } from './migrations.ts';
import { createPrismaClient, type Prisma } from './prisma-client.ts';
import { QueryMonitor, type QueryObserver } from './query-monitor.ts';
import { replicaReads } from './read-replicas.ts';
import { type ChunkRepository, chunkRepository } from './repositories/chunks.ts';
import { type CollectionRepository, collectionRepository } from './repositories/collections.ts';
import { type DocumentRepository, documentRepository } from './repositories/documents.ts';
import { type OperationRepository, operationRepository } from './repositories/operations.ts';
import { type PresetRepository, presetRepository } from './repositories/presets.ts';
import { type StatisticsRepository, statisticsRepository } from './repositories/statistics.ts';
import { type TenantRepository, tenantRepository } from './repositories/tenants.ts';
import { pgliteDriver, postgresDriver, type SqlDriver } from './sql.ts';

export const defaultPgliteDataDir = './.chunkflow/pgdata';

export interface OpenDatabaseOptions {
  /** PostgreSQL connection string; unset → embedded PGlite under `dataDir`. */
  url?: string | undefined;
  /**
   * PostgreSQL read replicas for statistics and listing reads (one picked at random per query);
   * everything else stays on `url`. Ignored, with a warning, for PGlite.
   */
  replicaUrls?: readonly string[] | undefined;
  /** PGlite data directory (default `./.chunkflow/pgdata`), kept across restarts. */
  dataDir?: string | undefined;
  logger?: DbLogger | undefined;
  /** Receives every executed statement's duration (e.g. a metrics histogram). */
  queryObserver?: QueryObserver | undefined;
  /** Statements at least this slow are logged with their correlation id (default 200 ms). */
  slowQueryMs?: number | undefined;
  /** Connections in the PostgreSQL pool (default 10). */
  poolSize?: number | undefined;
  /** Folder of Prisma-layout migrations (default: the repository's `prisma/migrations`). */
  migrationsDir?: string | undefined;
}

export interface Database {
  kind: 'postgres' | 'pglite';
  /** Applies pending migrations; returns the names it applied. */
  migrate(): Promise<{ applied: string[] }>;
  /** Migrations on disk not yet applied to this database (empty when up to date). */
  pendingMigrations(): Promise<string[]>;
  ping(): Promise<{ ok: boolean; latencyMs: number }>;
  close(): Promise<void>;
  /** Adds a query observer; the returned function removes it. */
  observeQueries(observer: QueryObserver): () => void;
  tenants: TenantRepository;
  collections: CollectionRepository;
  documents: DocumentRepository;
  chunks: ChunkRepository;
  operations: OperationRepository;
  presets: PresetRepository;
  statistics: StatisticsRepository;
}

interface Connection {
  kind: Database['kind'];
  prisma: Prisma;
  driver: SqlDriver;
  closeDriver(): Promise<void>;
}

function connectPostgres(url: string, monitor: QueryMonitor, options: OpenDatabaseOptions): Connection {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', (error) => options.logger?.error({ err: error }, 'idle database connection failed'));
  return {
    kind: 'postgres',
    prisma: createPrismaClient(new PrismaPg(pool), monitor),
    driver: postgresDriver(pool),
    closeDriver: () => pool.end(),
  };
}

/**
 * PGlite runs each protocol message (parse, bind, execute, …) synchronously on the main thread,
 * and statements queued on its mutex start one after another in microtasks: a burst of cheap
 * queries (hundreds of API-key lookups) or one statement with a 10 MB parameter would hold the
 * event loop for its whole length. Every query, script and transaction statement sends its
 * messages through `execProtocolStream`, so starting each one a macrotask later lets timers and
 * sockets run between them.
 */
class InterleavedPGlite extends PGlite {
  override async execProtocolStream(
    ...args: Parameters<PGlite['execProtocolStream']>
  ): ReturnType<PGlite['execProtocolStream']> {
    await setImmediate();
    return super.execProtocolStream(...args);
  }
}

async function connectPglite(dataDir: string, monitor: QueryMonitor): Promise<Connection> {
  const directory = resolve(dataDir);
  await mkdir(directory, { recursive: true });
  const pglite = new InterleavedPGlite(directory);
  await pglite.waitReady;
  return {
    kind: 'pglite',
    prisma: createPrismaClient(new PrismaPGlite(pglite), monitor),
    driver: pgliteDriver(pglite),
    closeDriver: () => pglite.close(),
  };
}

/** Opens PostgreSQL (when `url` is set) or the embedded PGlite; call `migrate()` before use. */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  const monitor = new QueryMonitor({ slowQueryMs: options.slowQueryMs ?? 200, logger: options.logger });
  if (options.queryObserver) monitor.observe(options.queryObserver);
  const connection = options.url
    ? connectPostgres(options.url, monitor, options)
    : await connectPglite(options.dataDir ?? defaultPgliteDataDir, monitor);
  const { prisma } = connection;
  const replicaUrls = options.replicaUrls ?? [];
  if (connection.kind === 'pglite' && replicaUrls.length > 0) {
    options.logger?.warn(
      { replicas: replicaUrls.length },
      'read replicas need PostgreSQL; ignored for PGlite',
    );
  }
  const replicas =
    connection.kind === 'postgres' && replicaUrls.length > 0
      ? replicaReads(prisma, replicaUrls, monitor, options)
      : undefined;
  const reads = replicas?.reads ?? prisma;

  return {
    kind: connection.kind,
    migrate: () =>
      runMigrations(connection.driver, options.migrationsDir ?? defaultMigrationsDir, options.logger),
    pendingMigrations: () =>
      pendingMigrations(connection.driver, options.migrationsDir ?? defaultMigrationsDir),
    async ping() {
      const started = performance.now();
      try {
        await prisma.$queryRaw`SELECT 1`;
        return { ok: true, latencyMs: performance.now() - started };
      } catch (error) {
        options.logger?.warn({ err: error }, 'database ping failed');
        return { ok: false, latencyMs: performance.now() - started };
      }
    },
    async close() {
      await replicas?.close();
      await prisma.$disconnect();
      await connection.closeDriver();
    },
    observeQueries: (observer) => monitor.observe(observer),
    tenants: tenantRepository(prisma),
    collections: collectionRepository(prisma, reads),
    documents: documentRepository(prisma, reads),
    chunks: chunkRepository(prisma, reads),
    operations: operationRepository(prisma, reads),
    presets: presetRepository(prisma, reads),
    statistics: statisticsRepository(reads),
  };
}
