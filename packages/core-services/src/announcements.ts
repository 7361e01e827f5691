import { MemoryPubSub, type PubSub, type RedisManager, RedisPubSub } from '@chunkflow/redis-manager';
import type { Logger } from './ports.ts';

/**
 * Where a process announces what every process must know at once (a revoked API key, a deleted
 * preview): Redis pub/sub when there is Redis, else this process's own channel (the embedded
 * default runs one server process).
 */
export function announcementsChannel(redis: RedisManager | undefined, logger: Logger): PubSub {
  return redis ? new RedisPubSub(redis, { logger }) : new MemoryPubSub({ logger });
}
