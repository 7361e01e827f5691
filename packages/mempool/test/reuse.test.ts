import { describe, expect, test } from 'vitest';
import { MemoryPool } from '../src/index.ts';
import { KiB } from './helpers.ts';

describe('buffer reuse', () => {
  test('a released buffer serves the next request of its size class', async () => {
    const pool = new MemoryPool({ maxBytes: 64 * KiB });
    const first = await pool.acquire(5 * KiB);
    first.buffer.write('kept');
    first.release();
    // 7 KiB rounds up to the same 8 KiB class as 5 KiB: same memory, no new allocation.
    const second = await pool.acquire(7 * KiB);
    expect(second.buffer.toString('utf8', 0, 4)).toBe('kept');
    expect(pool.stats()).toMatchObject({ allocations: 1, acquisitions: 2, reuseRate: 0.5, freeBuffers: 0 });
    second.release();
  });

  test('a request of another class evicts cached buffers rather than exceed the limit', async () => {
    const pool = new MemoryPool({ maxBytes: 32 * KiB });
    const leases = await Promise.all([pool.acquire(8 * KiB), pool.acquire(8 * KiB), pool.acquire(16 * KiB)]);
    for (const lease of leases) lease.release();
    expect(pool.stats()).toMatchObject({ cachedBytes: 32 * KiB, usedBytes: 0 });
    const whole = await pool.acquire(32 * KiB);
    const stats = pool.stats();
    expect(stats.usedBytes + stats.cachedBytes).toBeLessThanOrEqual(stats.maxBytes);
    expect(stats).toMatchObject({ usedBytes: 32 * KiB, cachedBytes: 0, freeBuffers: 0, allocations: 4 });
    whole.release();
  });

  test('maxCachedBytes caps what is kept; the rest goes back to the budget', async () => {
    const pool = new MemoryPool({ maxBytes: 64 * KiB, maxCachedBytes: 8 * KiB });
    const leases = await Promise.all([pool.acquire(8 * KiB), pool.acquire(8 * KiB)]);
    for (const lease of leases) lease.release();
    expect(pool.stats()).toMatchObject({ freeBuffers: 1, cachedBytes: 8 * KiB });
  });

  test('trim drops every cached buffer', async () => {
    const pool = new MemoryPool({ maxBytes: 64 * KiB });
    (await pool.acquire(16 * KiB)).release();
    expect(pool.trim()).toBe(16 * KiB);
    expect(pool.stats()).toMatchObject({ freeBuffers: 0, cachedBytes: 0 });
    (await pool.acquire(16 * KiB)).release();
    expect(pool.stats().allocations).toBe(2);
  });
});
