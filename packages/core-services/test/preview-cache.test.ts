import { DependencyUnavailableError } from '@chunkflow/errors';
import { type KeyValueCache, MemoryCache } from '@chunkflow/redis-manager';
import { describe, expect, it } from 'vitest';
import { PreviewCache } from '../src/index.ts';
import { silentLogger } from './support/embedded.ts';

/** A cache whose backing store is down: every call fails the way the Redis cache does. */
const unavailableCache: KeyValueCache = {
  get: () => Promise.reject(new DependencyUnavailableError('redis')),
  getBuffer: () => Promise.reject(new DependencyUnavailableError('redis')),
  set: () => Promise.reject(new DependencyUnavailableError('redis')),
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
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1, hitRate: 0.5 });
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
});
