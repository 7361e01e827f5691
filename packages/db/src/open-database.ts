import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { startEmbeddedPostgres } from './embedded/embedded-postgres.ts';
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
import { postgresDriver, type SqlDriver } from './sql.ts';

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

function connectPool(
  kind: Database['kind'],
  config: pg.PoolConfig,
  monitor: QueryMonitor,
  logger: DbLogger | undefined,
): Connection {
  const pool = new pg.Pool(config);
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', (error) => logger?.error({ err: error }, 'idle database connection failed'));
  return {
    kind,
    prisma: createPrismaClient(new PrismaPg(pool), monitor),
    driver: postgresDriver(pool, monitor, kind === 'postgres'),
    closeDriver: () => pool.end(),
  };
}

function connectPostgres(url: string, monitor: QueryMonitor, options: OpenDatabaseOptions): Connection {
  const config = { connectionString: url, max: options.poolSize ?? 10 };
  return connectPool('postgres', config, monitor, options.logger);
}

/**
 * The embedded database through the same driver as PostgreSQL, over a socket to the process that
 * runs it. One connection, never closed while idle: PGlite is a single session, so statements run
 * one at a time whatever the pool size, and a transaction holds it until it ends.
 */
async function connectEmbedded(
  dataDir: string,
  monitor: QueryMonitor,
  logger: DbLogger | undefined,
): Promise<Connection> {
  const directory = resolve(dataDir);
  await mkdir(directory, { recursive: true });
  const server = await startEmbeddedPostgres(directory, (detail) =>
    logger?.error(detail, 'embedded database process failed'),
  );
  const config = {
    host: server.socketDir,
    user: 'postgres',
    database: 'postgres',
    max: 1,
    idleTimeoutMillis: 0,
  };
  const connection = connectPool('pglite', config, monitor, logger);
  return {
    ...connection,
    async closeDriver() {
      await connection.closeDriver();
      await server.close();
    },
  };
}

/** Opens PostgreSQL (when `url` is set) or the embedded PGlite; call `migrate()` before use. */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  const monitor = new QueryMonitor({ slowQueryMs: options.slowQueryMs ?? 200, logger: options.logger });
  if (options.queryObserver) monitor.observe(options.queryObserver);
  const connection = options.url
    ? connectPostgres(options.url, monitor, options)
    : await connectEmbedded(options.dataDir ?? defaultPgliteDataDir, monitor, options.logger);
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
    documents: documentRepository(prisma, connection.driver, reads),
    chunks: chunkRepository(prisma, connection.driver, reads),
    operations: operationRepository(prisma, reads),
    presets: presetRepository(prisma, reads),
    statistics: statisticsRepository(reads),
  };
}
