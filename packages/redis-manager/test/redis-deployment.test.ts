import { InvalidConfigError } from '@chunkflow/errors';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisDeployment, type RedisRole, redisRoles } from '../src/index.ts';
import { RecordingLogger } from './support/recording-logger.ts';
import { RedisProcess } from './support/redis-process.ts';

const SETTING_NAMES = { queue: 'REDIS_QUEUE_URL', limits: 'REDIS_LIMITS_URL', cache: 'REDIS_CACHE_URL' };

describe('RedisDeployment: one Redis per role, memory policies checked at start', () => {
  // Each server is private, so its policy is ours to choose.
  let noEviction: RedisProcess & { port: number };
  let boundedLru: RedisProcess & { port: number };
  let volatileLru: RedisProcess & { port: number };
  const opened: RedisDeployment[] = [];
  const urlOf = (server: { port: number }, host = '127.0.0.1') => `redis://${host}:${server.port}`;

  beforeAll(async () => {
    [noEviction, boundedLru, volatileLru] = await Promise.all([
      RedisProcess.standalone(['--maxmemory-policy', 'noeviction']),
      RedisProcess.standalone(['--maxmemory', '4mb', '--maxmemory-policy', 'allkeys-lru']),
      RedisProcess.standalone(['--maxmemory', '4mb', '--maxmemory-policy', 'volatile-lru']),
    ]);
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((deployment) => deployment.close()));
  });
  afterAll(async () => {
    await Promise.all([noEviction?.stop(), boundedLru?.stop(), volatileLru?.stop()]);
  });

  const deployment = (urls: Record<RedisRole, string>, logger = new RecordingLogger()) => {
    const opening = new RedisDeployment({
      urls,
      keyPrefix: 'deployment-test',
      logger,
      settingNames: SETTING_NAMES,
    });
    opened.push(opening);
    return { redis: opening, logger };
  };
  const warnings = (logger: RecordingLogger) =>
    logger.entries.filter((entry) => entry.level === 'warn').map((entry) => entry.message);

  it('shares one manager between roles given the same URL', () => {
    const one = urlOf(noEviction);
    const { redis } = deployment({ queue: one, limits: one, cache: urlOf(boundedLru) });
    expect(redis.queue).toBe(redis.limits);
    expect(redis.cache).not.toBe(redis.queue);
    expect(redis.managersOf(redisRoles)).toHaveLength(2);
    expect(redis.managersOf(['cache'])).toEqual([redis.cache]);
  });

  it('refuses a queue Redis that may evict, naming its policy and the setting to change', async () => {
    const { redis } = deployment({
      queue: urlOf(boundedLru),
      limits: urlOf(noEviction),
      cache: urlOf(boundedLru),
    });
    await redis.waitUntilReady(redisRoles);
    const refusal = await redis.verify(redisRoles).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(InvalidConfigError);
    expect((refusal as InvalidConfigError).details).toMatchObject({ field: 'REDIS_QUEUE_URL' });
    expect((refusal as Error).message).toMatch(/queue Redis .* maxmemory-policy allkeys-lru/);
    expect((refusal as Error).message).toContain('REDIS_QUEUE_URL');

    const volatile = deployment({
      queue: urlOf(volatileLru),
      limits: urlOf(noEviction),
      cache: urlOf(boundedLru),
    });
    await volatile.redis.waitUntilReady(['queue']);
    await expect(volatile.redis.verify(['queue'])).rejects.toThrow(/volatile-lru/);
  });

  it('starts on separate Redis with the right policies, without a warning', async () => {
    const { redis, logger } = deployment({
      queue: urlOf(noEviction),
      limits: urlOf(noEviction),
      cache: urlOf(boundedLru),
    });
    await redis.waitUntilReady(redisRoles);
    expect(await redis.verify(redisRoles)).toEqual({ refusals: [], warnings: [] });
    expect(warnings(logger)).toEqual([]);
  });

  it('warns when the cache shares the queue Redis, also through another URL of the same server', async () => {
    const same = deployment({
      queue: urlOf(noEviction),
      limits: urlOf(noEviction),
      cache: urlOf(noEviction),
    });
    await same.redis.waitUntilReady(redisRoles);
    const verdict = await same.redis.verify(redisRoles);
    expect(verdict.refusals).toEqual([]);
    expect(verdict.warnings).toEqual([
      expect.stringMatching(/cache Redis is also the queue and limits Redis/),
    ]);
    expect(warnings(same.logger)).toEqual(verdict.warnings);

    // `localhost` and 127.0.0.1 are two managers, one server: its run_id gives it away.
    const aliased = deployment({
      queue: urlOf(noEviction),
      limits: urlOf(noEviction),
      cache: urlOf(noEviction, 'localhost'),
    });
    expect(aliased.redis.cache).not.toBe(aliased.redis.queue);
    await aliased.redis.waitUntilReady(redisRoles);
    expect((await aliased.redis.verify(['queue', 'cache'])).warnings).toEqual([
      expect.stringMatching(/cache Redis is also the queue Redis .*REDIS_CACHE_URL/),
    ]);
  });

  it('warns about a cache that cannot evict or is unbounded, and a limits Redis that evicts', async () => {
    const { redis } = deployment({
      queue: urlOf(noEviction),
      limits: urlOf(volatileLru),
      cache: urlOf(boundedLru),
    });
    await redis.waitUntilReady(redisRoles);
    expect((await redis.verify(redisRoles)).warnings).toEqual([
      expect.stringMatching(/limits Redis .* volatile-lru: an evicted rate-limit window/),
    ]);

    const unbounded = await RedisProcess.standalone(['--maxmemory-policy', 'noeviction']);
    try {
      const cacheOnly = deployment({
        queue: urlOf(noEviction),
        limits: urlOf(noEviction),
        cache: urlOf(unbounded),
      });
      await cacheOnly.redis.waitUntilReady(['cache']);
      expect((await cacheOnly.redis.verify(['cache'])).warnings).toEqual([
        expect.stringMatching(/cache Redis .* noeviction: once full, cache writes fail/),
        expect.stringMatching(/cache Redis .* no maxmemory/),
      ]);
    } finally {
      await Promise.all(opened.splice(0).map((opening) => opening.close()));
      await unbounded.stop();
    }
  });
});
