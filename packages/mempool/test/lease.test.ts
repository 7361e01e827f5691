import { ApplicationError } from '@chunkflow/errors';
import { describe, expect, test } from 'vitest';
import { AcquireTimeoutError, LeaseReleasedError, LeaseTooLargeError, MemoryPool } from '../src/index.ts';
import { KiB, MiB } from './helpers.ts';

describe('leasing and releasing', () => {
  test('a lease holds exactly the requested bytes and charges its size class', async () => {
    const pool = new MemoryPool({ maxBytes: MiB });
    const lease = await pool.acquire(5000);
    expect(lease.buffer).toBeInstanceOf(Buffer);
    expect(lease.buffer.length).toBe(5000);
    expect(lease.bytes).toBe(lease.buffer);
    expect(lease.capacity).toBe(8 * KiB);
    expect(pool.stats()).toMatchObject({ activeBuffers: 1, usedBytes: 8 * KiB, allocations: 1 });
    lease.release();
    expect(pool.stats()).toMatchObject({
      activeBuffers: 0,
      usedBytes: 0,
      freeBuffers: 1,
      cachedBytes: 8 * KiB,
    });
  });

  test('tiny requests share the smallest class; a class above the limit falls back to the exact size', async () => {
    const pool = new MemoryPool({ maxBytes: 10 * KiB, minBufferBytes: 1024 });
    await using tiny = await pool.acquire(0);
    expect(tiny.capacity).toBe(1024);
    tiny.release();
    await using nearLimit = await pool.acquire(9 * KiB);
    expect(nearLimit.capacity).toBe(9 * KiB);
  });

  test('seed validation: 100 acquisitions that throw inside await using leave nothing active or leaked', async () => {
    const pool = new MemoryPool({ maxBytes: 10 * MiB });
    for (let i = 0; i < 100; i += 1) {
      const failing = async () => {
        await using lease = await pool.acquire(MiB);
        lease.bytes.fill(i);
        throw new Error('Test error');
      };
      await expect(failing()).rejects.toThrow('Test error');
    }
    const stats = pool.stats();
    expect(stats.activeBuffers).toBe(0);
    expect(stats.leakCount).toBe(0);
    expect(stats).toMatchObject({
      usedBytes: 0,
      acquisitions: 100,
      releases: 100,
      allocations: 1,
      reuseRate: 0.99,
    });
  });

  test('synchronous using releases at the end of its block, also when it throws', async () => {
    const pool = new MemoryPool({ maxBytes: MiB });
    const lease = await pool.acquire(KiB);
    expect(() => {
      using held = lease;
      held.bytes[0] = 1;
      throw new Error('inside');
    }).toThrow('inside');
    expect(lease.released).toBe(true);
    expect(pool.stats().activeBuffers).toBe(0);
  });

  test('withLease releases when the callback resolves and when it rejects', async () => {
    const pool = new MemoryPool({ maxBytes: MiB });
    const written = await pool.withLease(4, (lease) => lease.buffer.write('abcd'));
    expect(written).toBe(4);
    await expect(
      pool.withLease(4, async () => {
        throw new Error('callback failed');
      }),
    ).rejects.toThrow('callback failed');
    expect(pool.stats()).toMatchObject({ activeBuffers: 0, acquisitions: 2, releases: 2 });
  });

  test('releasing twice is harmless and counted once', async () => {
    const pool = new MemoryPool({ maxBytes: 16 * KiB });
    const lease = await pool.acquire(16 * KiB);
    lease.release();
    lease.release();
    await lease[Symbol.asyncDispose]();
    expect(pool.stats()).toMatchObject({ activeBuffers: 0, usedBytes: 0, releases: 1, freeBuffers: 1 });
    // Had the second release returned the bytes again, two full-size leases would now fit at once.
    const first = await pool.acquire(16 * KiB);
    await expect(pool.acquire(16 * KiB, { timeoutMs: 0 })).rejects.toThrow(AcquireTimeoutError);
    first.release();
  });

  test('the memory of a released lease is no longer reachable through it', async () => {
    const pool = new MemoryPool({ maxBytes: MiB });
    const lease = await pool.acquire(KiB);
    lease.release();
    expect(() => lease.buffer).toThrow(LeaseReleasedError);
    expect(() => lease.bytes).toThrow(LeaseReleasedError);
  });
});

describe('requests the pool can never serve', () => {
  test('a lease larger than the pool is rejected at once with a typed error', async () => {
    const pool = new MemoryPool({ maxBytes: MiB });
    const error = await pool.acquire(MiB + 1).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LeaseTooLargeError);
    expect(error).toBeInstanceOf(ApplicationError);
    expect(error).toMatchObject({
      code: 'INTERNAL_ERROR',
      details: { requestedBytes: MiB + 1, maxBytes: MiB },
    });
    expect(pool.stats()).toMatchObject({ waiters: 0, acquisitions: 0 });
  });

  test.each([-1, 1.5, Number.NaN])('a size of %s is a RangeError', async (size) => {
    const pool = new MemoryPool({ maxBytes: MiB });
    await expect(pool.acquire(size)).rejects.toThrow(RangeError);
  });

  test('nonsensical pool options are refused', () => {
    expect(() => new MemoryPool({ maxBytes: 0 })).toThrow(RangeError);
    expect(() => new MemoryPool({ maxBytes: MiB, minBufferBytes: 0 })).toThrow(RangeError);
    expect(() => new MemoryPool({ maxBytes: KiB, minBufferBytes: 2 * KiB })).toThrow(RangeError);
    expect(() => new MemoryPool({ maxBytes: MiB, maxCachedBytes: -1 })).toThrow(RangeError);
  });
});
