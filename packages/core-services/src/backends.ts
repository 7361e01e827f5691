import { type Database, openDatabase } from '@chunkflow/db';
import { type KeyValueCache, MemoryCache, RedisCache, RedisManager } from '@chunkflow/redis-manager';
import type { BackendEnvironment } from './environment.ts';
import type { DependencyProbe } from './health/health-service.ts';
import type { RetryPolicy } from './jobs/job-queue.ts';
import { type OperationBackends, openOperationBackends } from './jobs/operation-backends.ts';
import type { Logger } from './ports.ts';

export interface BackendOptions {
  databaseUrl?: string | undefined;
  /** PostgreSQL read replicas for statistics and listing reads (ignored for embedded PGlite). */
  databaseReplicaUrls?: readonly string[] | undefined;
  redisUrl?: string | undefined;
  /** Embedded PostgreSQL keeps its files here when no databaseUrl is given. */
  dataDir: string;
  keyPrefix: string;
  logger: Logger;
  /** Attempts and backoff of operation jobs (default 3 attempts, 1 s doubling). */
  retry?: RetryPolicy | undefined;
  /** How long a quiet progress stream waits before it re-reads the log itself (default 5 s). */
  progressIdleCheckMs?: number | undefined;
}

/** The shared infrastructure of a process: real services when URLs are given, embedded ones otherwise. */
export interface Backends extends OperationBackends {
  database: Database;
  cache: KeyValueCache;
  redis: RedisManager | undefined;
  probes: DependencyProbe[];
  description: { database: 'postgres' | 'pglite'; redis: 'redis' | 'in-process' };
  close(): Promise<void>;
}

/** The backends a process's environment (docs/configuration.md) asks for. */
export function backendOptionsFrom(environment: BackendEnvironment, logger: Logger): BackendOptions {
  return {
    databaseUrl: environment.DATABASE_URL,
    databaseReplicaUrls: environment.DATABASE_REPLICA_URLS,
    redisUrl: environment.REDIS_URL,
    dataDir: environment.CHUNKFLOW_DATA_DIR,
    keyPrefix: environment.CHUNKFLOW_KEY_PREFIX,
    progressIdleCheckMs: environment.PROGRESS_IDLE_CHECK_MS,
    logger,
  };
}

export async function openBackends(options: BackendOptions): Promise<Backends> {
  const database = await openDatabase({
    url: options.databaseUrl,
    replicaUrls: options.databaseReplicaUrls,
    dataDir: `${options.dataDir}/pgdata`,
    logger: options.logger,
  });
  const redis = options.redisUrl
    ? new RedisManager({ url: options.redisUrl, keyPrefix: options.keyPrefix, logger: options.logger })
    : undefined;
  try {
    // Fail-fast clients reject commands sent before their first connection: connect now.
    await redis?.waitUntilReady('commands');
  } catch (error) {
    await Promise.allSettled([redis?.close(), database.close()]);
    throw error;
  }
  const cache: KeyValueCache = redis ? new RedisCache(redis) : new MemoryCache({ maxEntries: 10_000 });
  const description = { database: database.kind, redis: redis ? 'redis' : 'in-process' } as const;
  options.logger.info(description, 'backends opened');
  const operationBackends = openOperationBackends(redis, options.logger, {
    retry: options.retry,
    progressIdleCheckMs: options.progressIdleCheckMs,
  });
  return {
    ...operationBackends,
    database,
    cache,
    redis,
    probes: redis ? [{ name: 'redis', check: () => redis.ping() }] : [],
    description,
    async close() {
      await operationBackends.jobs.close();
      await redis?.close();
      await database.close();
    },
  };
}
