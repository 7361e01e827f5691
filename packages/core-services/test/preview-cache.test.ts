import { randomBytes } from 'node:crypto';
import { DependencyUnavailableError } from '@chunkflow/errors';
import {
  type KeyValueCache,
  MemoryCache,
  MemoryPubSub,
  RedisCache,
  RedisManager,
} from '@chunkflow/redis-manager';
import { describe, expect, it } from 'vitest';
import { PreviewCache } from '../src/index.ts';
import { silentLogger } from './support/embedded.ts';

/** A cache whose backing store is down: every call fails the way the Redis cache does. */
const unavailableCache: KeyValueCache = {
  get: () => Promise.reject(new DependencyUnavailableError('redis')),
  getBuffer: () => Promise.reject(new DependencyUnavailableError('redis')),
  set: () => Promise.reject(new DependencyUnavailableError('redis')),
  has: () => Promise.reject(new DependencyUnavailableError('redis')),
  delete: () => Promise.reject(new DependencyUnavailableError('redis')),
};

describe('PreviewCache', () => {
  it('computes concurrent identical requests once and serves later ones from the cache', async () => {
    const cache = new PreviewCache<{ n: number }>(new MemoryCache({ maxEntries: 10 }), silentLogger, 60);
    let computations = 0;
    const compute = () => ({ n: ++computations });
    const results = await Promise.all(Array.from({ length: 20 }, () => cache.getOrCompute('k', compute)));
    expect(computations).toBe(1);
    expect(new Set(results.map((result) => result.value.n))).toEqual(new Set([1]));
    const later = await cache.getOrCompute('k', compute);
    expect(later).toEqual({ value: { n: 1 }, cached: true });
    expect(cache.stats()).toEqual({ hits: 1, misses: 1, hitRate: 0.5, joined: 19, oversize: 0 });
  });

  it('counts a lookup by key (a preview asked for by hash) as a hit or a miss, computing nothing', async () => {
    const cache = new PreviewCache<{ n: number }>(new MemoryCache({ maxEntries: 10 }), silentLogger, 60);
    await cache.getOrCompute('k', () => ({ n: 1 }));
    expect(await cache.lookup('k')).toEqual({ n: 1 });
    expect(await cache.lookup('absent')).toBeUndefined();
    expect(await cache.lookup(undefined)).toBeUndefined();
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 3 });
  });

  it('keeps answering, uncached, while the cache store is unavailable', async () => {
    const cache = new PreviewCache<string>(unavailableCache, silentLogger, 60);
    await expect(cache.getOrCompute('k', () => 'fresh')).resolves.toEqual({ value: 'fresh', cached: false });
    await expect(cache.getOrCompute('k', () => 'again')).resolves.toEqual({ value: 'again', cached: false });
  });

  it('lets a failed computation fail its callers and be retried', async () => {
    const cache = new PreviewCache<string>(new MemoryCache({ maxEntries: 10 }), silentLogger, 60);
    await expect(
      cache.getOrCompute('k', () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expect(cache.getOrCompute('k', () => 'ok')).resolves.toEqual({ value: 'ok', cached: false });
  });

  it('answers a value over the size cap without storing it', async () => {
    const store = new MemoryCache({ maxEntries: 10 });
    const cache = new PreviewCache<string>(store, silentLogger, 60, 0, {
      maxEntryBytes: 10,
      estimateBytes: (value) => value.length,
    });
    await expect(cache.getOrCompute('big', () => 'x'.repeat(11))).resolves.toEqual({
      value: 'x'.repeat(11),
      cached: false,
    });
    expect(await store.get('big')).toBeUndefined();
    await expect(cache.getOrCompute('small', () => 'x'.repeat(10))).resolves.toMatchObject({ cached: false });
    await expect(cache.getOrCompute('small', () => 'other')).resolves.toEqual({
      value: 'x'.repeat(10),
      cached: true,
    });
    expect(cache.stats()).toMatchObject({ oversize: 1 });
  });

  describe('with previews kept in process memory too', () => {
    /** The shared store, counting what crosses to it. */
    function countingStore() {
      const store = new MemoryCache({ maxEntries: 10 });
      const calls = { get: 0, has: 0 };
      const counted: KeyValueCache = {
        get: (key) => {
          calls.get += 1;
          return store.get(key);
        },
        getBuffer: (key) => store.getBuffer(key),
        set: (key, value, ttl) => store.set(key, value, ttl),
        has: (key) => {
          calls.has += 1;
          return store.has(key);
        },
        delete: (key) => store.delete(key),
      };
      return { store: counted, calls };
    }

    it('keeps a computed preview once stored, then serves it after an existence check only', async () => {
      const { store, calls } = countingStore();
      const cache = new PreviewCache<{ n: number }>(store, silentLogger, 60, 1024);
      const computed = await cache.getOrCompute('k', () => ({ n: 1 }));
      await new Promise((resolve) => setTimeout(resolve, 0)); // the write's acknowledgement
      const kept = await cache.getOrCompute('k', () => ({ n: 2 }));
      const again = await cache.getOrCompute('k', () => ({ n: 3 }));
      expect(kept).toEqual({ value: { n: 1 }, cached: true });
      expect(kept.value).toBe(computed.value);
      expect(again.value).toBe(computed.value);
      // Only the miss reads the store; each hit checks that it still holds the key.
      expect(calls).toEqual({ get: 1, has: 2 });
    });

    it('answers a computed preview without waiting for the store to acknowledge its write', async () => {
      const { store } = countingStore();
      const written: string[] = [];
      let acknowledge = () => {};
      const slow: KeyValueCache = {
        ...store,
        set: async (key, value, ttl) => {
          written.push(key); // sent at once…
          await new Promise<void>((resolve) => {
            acknowledge = resolve;
          });
          await store.set(key, value, ttl); // …acknowledged later
        },
      };
      const cache = new PreviewCache<{ n: number }>(slow, silentLogger, 60, 1024);
      await expect(cache.getOrCompute('k', () => ({ n: 1 }))).resolves.toEqual({
        value: { n: 1 },
        cached: false,
      });
      expect(written).toEqual(['k']);
      acknowledge();
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(await store.get('k')).toBe('{"n":1}');
    });

    it('stops serving a kept preview once any process deletes it from the shared store', async () => {
      const { store } = countingStore();
      const here = new PreviewCache<{ n: number }>(store, silentLogger, 60, 1024);
      const elsewhere = new PreviewCache<{ n: number }>(store, silentLogger, 60, 1024);
      await here.getOrCompute('k', () => ({ n: 1 }));
      expect(await here.peek('k')).toEqual({ n: 1 });
      expect(await elsewhere.remove('k')).toBe(true);
      expect(await here.peek('k')).toBeUndefined();
      await expect(here.getOrCompute('k', () => ({ n: 2 }))).resolves.toEqual({
        value: { n: 2 },
        cached: false,
      });
    });

    it('serves a kept preview with no call to the store while removals are heard, and drops it when any process removes it', async () => {
      const { store, calls } = countingStore();
      const channel = new MemoryPubSub({ logger: silentLogger });
      const removals = {
        channel,
        expiresAt: (value: { n: number; createdAt: number }) => value.createdAt + 60_000,
      };
      const here = new PreviewCache<{ n: number; createdAt: number }>(
        store,
        silentLogger,
        60,
        1024,
        undefined,
        removals,
      );
      const elsewhere = new PreviewCache<{ n: number; createdAt: number }>(
        store,
        silentLogger,
        60,
        1024,
        undefined,
        removals,
      );
      // Subscribing (in-process) completes on the next turn.
      await new Promise((resolve) => setTimeout(resolve, 10));
      await here.getOrCompute('k', () => ({ n: 1, createdAt: Date.now() }));
      await here.peek('k');
      calls.get = 0;
      calls.has = 0;
      for (let round = 0; round < 3; round++) expect(await here.peek('k')).toMatchObject({ n: 1 });
      expect(calls).toEqual({ get: 0, has: 0 });

      expect(await elsewhere.remove('k')).toBe(true);
      expect(await here.peek('k')).toBeUndefined();
    });

    it('does not keep a preview past the expiry of its stored copy', async () => {
      const { store } = countingStore();
      const channel = new MemoryPubSub({ logger: silentLogger });
      const removals = { channel, expiresAt: (value: { createdAt: number }) => value.createdAt + 60_000 };
      const cache = new PreviewCache<{ createdAt: number }>(
        store,
        silentLogger,
        60,
        1024,
        undefined,
        removals,
      );
      await new Promise((resolve) => setTimeout(resolve, 10));
      // Stored 61 s ago (by its own clock): expired for the process that reads it.
      await cache.getOrCompute('old', () => ({ createdAt: Date.now() - 61_000 }));
      expect(await cache.peek('old')).toEqual({ createdAt: expect.any(Number) });
      await store.delete('old');
      expect(await cache.peek('old')).toBeUndefined();
    });

    it('keeps a preview read from the shared store, and none larger than its budget', async () => {
      const { store, calls } = countingStore();
      const writer = new PreviewCache<string>(store, silentLogger, 60);
      await writer.getOrCompute('small', () => 'x');
      await writer.getOrCompute('large', () => 'y'.repeat(100));
      const reader = new PreviewCache<string>(store, silentLogger, 60, 50);
      calls.get = 0;
      for (let round = 0; round < 3; round++) {
        expect(await reader.peek('small')).toBe('x');
        expect(await reader.peek('large')).toBe('y'.repeat(100));
      }
      // Read once from the store and then kept ('small'), read every time ('large').
      expect(calls.get).toBe(4);
    });

    it('loads instead of serving a kept preview it cannot check while the store is down', async () => {
      const { store } = countingStore();
      let down = false;
      const flaky: KeyValueCache = {
        ...store,
        has: (key) => (down ? unavailableCache.has(key) : store.has(key)),
      };
      const cache = new PreviewCache<string>(flaky, silentLogger, 60, 1024);
      await cache.getOrCompute('k', () => 'stored');
      expect(await cache.peek('k')).toBe('stored');
      down = true;
      await expect(cache.getOrCompute('k', () => 'fresh')).resolves.toEqual({
        value: 'fresh',
        cached: false,
      });
    });
  });

  it('stops serving a kept preview once another server deletes it from Redis', async () => {
    // Two servers: each its own Redis connection and in-process copy, one shared key prefix.
    const keyPrefix = `chunkflow-preview-test-${randomBytes(6).toString('hex')}`;
    const connect = () =>
      new RedisManager({
        url: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
        keyPrefix,
        logger: silentLogger,
      });
    const [hereRedis, elsewhereRedis] = [connect(), connect()];
    try {
      await Promise.all([hereRedis.waitUntilReady(), elsewhereRedis.waitUntilReady()]);
      const here = new PreviewCache<{ n: number }>(new RedisCache(hereRedis), silentLogger, 60, 1024);
      const elsewhere = new PreviewCache<{ n: number }>(
        new RedisCache(elsewhereRedis),
        silentLogger,
        60,
        1024,
      );
      await here.getOrCompute('k', () => ({ n: 1 }));
      expect(await here.getOrCompute('k', () => ({ n: 2 }))).toEqual({ value: { n: 1 }, cached: true });
      expect(await elsewhere.peek('k')).toEqual({ n: 1 });
      expect(await elsewhere.remove('k')).toBe(true);
      expect(await here.peek('k')).toBeUndefined();
      expect(await here.getOrCompute('k', () => ({ n: 3 }))).toEqual({ value: { n: 3 }, cached: false });
    } finally {
      await hereRedis.purgeKeys();
      await Promise.all([hereRedis.close(), elsewhereRedis.close()]);
    }
  });
});
