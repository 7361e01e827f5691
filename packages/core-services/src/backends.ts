import { type Database, openDatabase } from '@chunkflow/db';
import {
  type KeyValueCache,
  MemoryCache,
  MemoryPubSub,
  RedisCache,
  RedisDeployment,
  type RedisManager,
  RedisPubSub,
  type RedisRole,
  redisRoles,
} from '@chunkflow/redis-manager';
import type { DependencyProbe } from './health/health-service.ts';
import { BullmqJobQueue } from './jobs/bullmq-job-queue.ts';
import { InProcessJobQueue } from './jobs/in-process-job-queue.ts';
import type { JobQueue } from './jobs/job-queue.ts';
import type { Logger } from './ports.ts';
import { MemoryEventLog } from './progress/memory-event-log.ts';
import { ProgressStream } from './progress/progress-stream.ts';
import { RedisEventLog } from './progress/redis-event-log.ts';
import { redisRoleUrls } from './settings/redis-urls.ts';
import type { Settings } from './settings/settings.ts';

/** What the backends are opened from: where state lives, and how operations are queued and followed. */
export type BackendSettings = Pick<Settings, 'storage' | 'operations' | 'progressLog'>;

/** The job queue and progress stream of operations. */
export interface OperationBackends {
  jobs: JobQueue;
  progress: ProgressStream;
}

/** The shared infrastructure of a process: real services when URLs are given, embedded ones otherwise. */
export interface Backends extends OperationBackends {
  database: Database;
  cache: KeyValueCache;
  /** The Redis of each role (queue, limits, cache); undefined in embedded mode. */
  redis: RedisDeployment | undefined;
  probes: DependencyProbe[];
  description: { database: 'postgres' | 'pglite'; redis: 'redis' | 'in-process' };
  close(): Promise<void>;
}

/** The job queue and progress stream: on Redis (shared by every process) or in this process. */
export function openOperationBackends(
  redis: RedisManager | undefined,
  logger: Logger,
  settings: Pick<Settings, 'operations' | 'progressLog'>,
): OperationBackends {
  const { retry, progressIdleCheckMs } = settings.operations;
  const following = { idleCheckMs: progressIdleCheckMs };
  if (!redis) {
    return {
      jobs: new InProcessJobQueue(retry, logger),
      progress: new ProgressStream(
        new MemoryEventLog(settings.progressLog),
        new MemoryPubSub({ logger }),
        following,
      ),
    };
  }
  return {
    jobs: new BullmqJobQueue(redis, retry, logger),
    progress: new ProgressStream(
      new RedisEventLog(redis, settings.progressLog),
      new RedisPubSub(redis, { logger }),
      following,
    ),
  };
}

/**
 * The Redis of each role the process uses, connected and with its memory policy checked: a queue
 * Redis that may evict is refused here, before anything is queued on it.
 */
async function openRedis(
  storage: Settings['storage'],
  uses: readonly RedisRole[],
  logger: Logger,
): Promise<RedisDeployment | undefined> {
  const roleUrls = redisRoleUrls(storage);
  if (roleUrls === undefined || uses.length === 0) return undefined;
  const redis = new RedisDeployment({ ...roleUrls, keyPrefix: storage.keyPrefix, logger });
  try {
    // Fail-fast clients reject commands sent before their first connection: connect now.
    await redis.waitUntilReady(uses);
    await redis.verify(uses);
    return redis;
  } catch (error) {
    await redis.close();
    throw error;
  }
}

/**
 * Opens the database and the Redis of the roles `uses` names (a worker needs no limits Redis; the
 * keys CLI none): real services when URLs are given, embedded ones otherwise.
 */
export async function openBackends(
  settings: BackendSettings,
  logger: Logger,
  uses: readonly RedisRole[] = redisRoles,
): Promise<Backends> {
  const { storage } = settings;
  const database = await openDatabase({
    url: storage.databaseUrl,
    replicaUrls: storage.databaseReplicaUrls,
    dataDir: `${storage.dataDir}/pgdata`,
    logger,
  });
  let redis: RedisDeployment | undefined;
  try {
    redis = await openRedis(storage, uses, logger);
  } catch (error) {
    await database.close();
    throw error;
  }
  const cache: KeyValueCache = redis ? new RedisCache(redis.cache) : new MemoryCache({ maxEntries: 10_000 });
  const description = { database: database.kind, redis: redis ? 'redis' : 'in-process' } as const;
  // Where each Redis role went (no credentials), so an operator can see the split took effect.
  const roles = redis && {
    queue: redis.queue.description,
    limits: redis.limits.description,
    cache: redis.cache.description,
  };
  logger.info({ ...description, redisRoles: roles }, 'backends opened');
  const operationBackends = openOperationBackends(redis?.queue, logger, settings);
  return {
    ...operationBackends,
    database,
    cache,
    redis,
    // Readiness follows the queue Redis: without it nothing can be applied. A cache or limits
    // Redis that is down degrades (previews computed, limits admit) and is not a reason to shed traffic.
    probes: redis ? [{ name: 'redis', check: () => redis.queue.ping() }] : [],
    description,
    async close() {
      await operationBackends.jobs.close();
      await redis?.close();
      await database.close();
    },
  };
}
