import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryRateLimiter, RedisManager, RedisRateLimiter } from '../src/index.ts';
import { RecordingLogger } from './support/recording-logger.ts';
import { SHARED_REDIS_URL, uniquePrefix } from './support/shared-redis.ts';

/** Longer than any run: no admission leaves its window, so the real clock cannot matter. */
const WINDOW_MS = 60 * 60 * 1000;

describe('RedisRateLimiter against the in-process limiter', () => {
  let manager: RedisManager;

  beforeAll(async () => {
    manager = new RedisManager({
      url: SHARED_REDIS_URL,
      keyPrefix: uniquePrefix('limiter-property'),
      logger: new RecordingLogger(),
    });
    await manager.waitUntilReady();
  });
  afterAll(async () => {
    await manager.purgeKeys();
    await manager.close();
  });

  it('admits and counts what the in-process limiter does, key by key (property)', async () => {
    let run = 0;
    const calls = fc.array(fc.record({ key: fc.nat(3), limit: fc.integer({ min: 1, max: 5 }) }), {
      minLength: 1,
      maxLength: 40,
    });
    await fc.assert(
      fc.asyncProperty(calls, async (sequence) => {
        run += 1;
        const redis = new RedisRateLimiter(manager);
        const model = new MemoryRateLimiter({ clock: { now: () => 0 } });
        for (const { key, limit } of sequence) {
          const name = `run-${run}-key-${key}`;
          const [actual, expected] = [
            await redis.consume(name, limit, WINDOW_MS),
            await model.consume(name, limit, WINDOW_MS),
          ];
          expect({ allowed: actual.allowed, remaining: actual.remaining }).toEqual({
            allowed: expected.allowed,
            remaining: expected.remaining,
          });
          if (!actual.allowed) {
            expect(actual.retryAfterMs).toBeGreaterThan(0);
            expect(actual.retryAfterMs).toBeLessThanOrEqual(WINDOW_MS);
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});
