import { randomUUID } from 'node:crypto';
import { RateLimitedError } from '@chunkflow/errors';
import { MemoryRateLimiter, RedisManager, RedisRateLimiter } from '@chunkflow/redis-manager';
import fc from 'fast-check';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import {
  FailedAuthGuard,
  KeySlots,
  type RateLimitPolicy,
  RequestLimiter,
  rateLimitPolicyFrom,
  ServiceMetrics,
  settingsFrom,
} from '../src/index.ts';

const silent = pino({ level: 'silent' });

const policy = (limit: number): RateLimitPolicy => ({
  preview: { limit, windowMs: 60_000 },
  compare: { limit, windowMs: 60_000 },
  apply: { limit: 0, windowMs: 60_000 },
  reads: { limit, windowMs: 60_000 },
  writes: { limit, windowMs: 60_000 },
  documents: { limit, windowMs: 60_000 },
});

async function refusal(promise: Promise<unknown>): Promise<RateLimitedError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(RateLimitedError);
  return error as RateLimitedError;
}

describe('RequestLimiter', () => {
  it('refuses the request after the limit, per key and per class, with a whole-second retryAfter', async () => {
    const limiter = new RequestLimiter(new MemoryRateLimiter(), policy(2), silent);
    await limiter.admit('key-a', 'preview');
    await limiter.admit('key-a', 'preview');
    const error = await refusal(limiter.admit('key-a', 'preview'));
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.httpStatus).toBe(429);
    expect(error.retryAfter).toBeGreaterThanOrEqual(1);
    expect(error.retryAfter).toBeLessThanOrEqual(60);
    expect(error.details).toMatchObject({ rateLimitClass: 'preview', limit: 2, windowSeconds: 60 });

    // Another class of the same key, and the same class of another key, have their own budgets.
    await limiter.admit('key-a', 'reads');
    await limiter.admit('key-b', 'preview');
  });

  it('admits what room a batch finds, and refuses the rest with when to retry', async () => {
    const limiter = new RequestLimiter(new MemoryRateLimiter(), policy(5), silent);
    expect(await limiter.admitUpTo('key', 'documents', 3)).toEqual({ granted: 3 });
    const partial = await limiter.admitUpTo('key', 'documents', 4);
    expect(partial.granted).toBe(2);
    expect(partial.refusal).toBeInstanceOf(RateLimitedError);
    expect(partial.refusal?.details).toMatchObject({ rateLimitClass: 'documents', limit: 5 });
    expect(partial.refusal?.retryAfter).toBeGreaterThanOrEqual(1);
    expect((await limiter.admitUpTo('other-key', 'documents', 5)).granted).toBe(5);
    const unlimited = new RequestLimiter(new MemoryRateLimiter(), policy(0), silent);
    expect(await unlimited.admitUpTo('key', 'documents', 10_000)).toEqual({ granted: 10_000 });
  });

  it('never limits a class whose limit is 0', async () => {
    const limiter = new RequestLimiter(new MemoryRateLimiter(), policy(1), silent);
    for (let request = 0; request < 50; request += 1) await limiter.admit('key', 'apply');
  });

  it('counts refusals in the metrics', async () => {
    const metrics = new ServiceMetrics();
    const limiter = new RequestLimiter(new MemoryRateLimiter(), policy(1), silent, metrics);
    await limiter.admit('key', 'compare');
    await refusal(limiter.admit('key', 'compare'));
    expect(await metrics.render()).toContain('chunkflow_rate_limited_total{class="compare"} 1');
  });

  it('admits requests and records the failure when Redis cannot be reached', async () => {
    // Port 1 refuses connections: the fail-fast client rejects at once.
    const redis = new RedisManager({ url: 'redis://127.0.0.1:1', keyPrefix: 'limits-test', logger: silent });
    const metrics = new ServiceMetrics();
    const limiter = new RequestLimiter(new RedisRateLimiter(redis), policy(1), silent, metrics);
    try {
      await limiter.admit('key', 'reads');
      await limiter.admit('key', 'reads');
      expect(await metrics.render()).toContain('chunkflow_rate_limiter_failures_total{class="reads"} 2');
    } finally {
      await redis.close();
    }
  });
});

describe('KeySlots', () => {
  it('bounds open subscriptions per key and frees a slot once, however often it is released', () => {
    const slots = new KeySlots(2, 'subscriptions');
    const first = slots.acquire('key');
    slots.acquire('key');
    expect(() => slots.acquire('key')).toThrow(RateLimitedError);
    slots.acquire('other-key');
    first();
    first();
    slots.acquire('key');
    expect(() => slots.acquire('key')).toThrow(RateLimitedError);
    expect(slots.total).toBe(3);
  });

  it('never holds more than the bound for any key, and counts exactly what is open', () => {
    const step = fc.record({ key: fc.constantFrom('a', 'b', 'c'), release: fc.nat({ max: 5 }) });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(step, { maxLength: 60 }), (max, steps) => {
        const slots = new KeySlots(max, 'uploads');
        const open: Array<{ key: string; release: () => void }> = [];
        for (const { key, release } of steps) {
          const held = open.filter((slot) => slot.key === key).length;
          if (held < max) open.push({ key, release: slots.acquire(key) });
          else expect(() => slots.acquire(key)).toThrow(RateLimitedError);
          const index = release % (open.length + 1);
          const released = open.splice(index, 1)[0];
          released?.release();
          released?.release();
          expect(slots.total).toBe(open.length);
        }
      }),
    );
  });
});

describe('request quotas from the environment', () => {
  it('defaults to the documented policy and reads overrides', () => {
    expect(rateLimitPolicyFrom(settingsFrom({}).requestQuotas)).toEqual({
      preview: { limit: 120, windowMs: 60_000 },
      compare: { limit: 30, windowMs: 60_000 },
      apply: { limit: 30, windowMs: 60_000 },
      reads: { limit: 600, windowMs: 60_000 },
      writes: { limit: 120, windowMs: 60_000 },
      documents: { limit: 10_000, windowMs: 60_000 },
    });
    const quotas = settingsFrom({
      RATE_LIMIT_WINDOW_SECONDS: '10',
      RATE_LIMIT_PREVIEW: '5',
      MAX_SSE_CONNECTIONS_PER_KEY: '3',
    }).requestQuotas;
    const policy = rateLimitPolicyFrom(quotas);
    expect(policy.preview).toEqual({ limit: 5, windowMs: 10_000 });
    expect(policy.reads).toEqual({ limit: 600, windowMs: 10_000 });
    expect(quotas.subscriptionsPerKey).toBe(3);
    expect(policy.writes).toEqual({ limit: 120, windowMs: 10_000 });
    expect(quotas.authFailures).toBe(30);
    expect(quotas.uploadsPerKey).toBe(4);
    expect(() => settingsFrom({ RATE_LIMIT_READS: '-1' })).toThrow();
  });
});

describe('FailedAuthGuard', () => {
  const rule = { limit: 3, windowMs: 60_000 };

  async function blockedAfterFailures(guard: FailedAuthGuard, address: string): Promise<RateLimitedError> {
    for (let failure = 0; failure < rule.limit; failure += 1) {
      guard.check(address);
      await guard.recordFailure(address);
    }
    guard.check(address);
    await guard.recordFailure(address);
    let caught: unknown;
    try {
      guard.check(address);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RateLimitedError);
    return caught as RateLimitedError;
  }

  it('refuses an address once its failures exceed the budget, and only that address', async () => {
    const guard = new FailedAuthGuard(new MemoryRateLimiter(), rule, silent);
    const error = await blockedAfterFailures(guard, '192.0.2.1');
    expect(error.httpStatus).toBe(429);
    expect(error.retryAfter).toBeGreaterThanOrEqual(1);
    expect(error.details).toMatchObject({ limit: 3, windowSeconds: 60 });
    expect(() => guard.check('192.0.2.2')).not.toThrow();
  });

  it('counts failures across guards sharing the Redis limiter (servers behind one balancer)', async () => {
    const redis = new RedisManager({
      url: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      keyPrefix: `auth-guard-test-${randomUUID()}`,
      logger: silent,
    });
    try {
      await redis.waitUntilReady();
      const first = new FailedAuthGuard(new RedisRateLimiter(redis), rule, silent);
      const second = new FailedAuthGuard(new RedisRateLimiter(redis), rule, silent);
      for (let failure = 0; failure < rule.limit; failure += 1) await first.recordFailure('198.51.100.7');
      expect(() => second.check('198.51.100.7')).not.toThrow();
      await second.recordFailure('198.51.100.7');
      expect(() => second.check('198.51.100.7')).toThrow(RateLimitedError);
    } finally {
      await redis.purgeKeys();
      await redis.close();
    }
  });

  it('never blocks when the limit is 0, and does not fail when Redis is down', async () => {
    const unlimited = new FailedAuthGuard(new MemoryRateLimiter(), { limit: 0, windowMs: 60_000 }, silent);
    for (let failure = 0; failure < 50; failure += 1) await unlimited.recordFailure('203.0.113.9');
    expect(() => unlimited.check('203.0.113.9')).not.toThrow();

    const redis = new RedisManager({ url: 'redis://127.0.0.1:1', keyPrefix: 'guard-down', logger: silent });
    try {
      const guard = new FailedAuthGuard(new RedisRateLimiter(redis), rule, silent);
      for (let failure = 0; failure < 5; failure += 1) await guard.recordFailure('203.0.113.9');
      expect(() => guard.check('203.0.113.9')).not.toThrow();
    } finally {
      await redis.close();
    }
  });
});
