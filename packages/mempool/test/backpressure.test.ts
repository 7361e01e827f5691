import { ResourceExhaustedError } from '@chunkflow/errors';
import { describe, expect, test } from 'vitest';
import { AcquireAbortedError, AcquireTimeoutError, type BufferLease, MemoryPool } from '../src/index.ts';
import { isSettled, KiB } from './helpers.ts';

describe('when the budget is exhausted', () => {
  test('acquire waits until bytes come back', async () => {
    const pool = new MemoryPool({ maxBytes: 8 * KiB });
    const holder = await pool.acquire(8 * KiB);
    const waiting = pool.acquire(4 * KiB);
    expect(await isSettled(waiting)).toBe(false);
    expect(pool.stats().waiters).toBe(1);
    holder.release();
    const lease = await waiting;
    expect(lease.size).toBe(4 * KiB);
    expect(pool.stats()).toMatchObject({ waiters: 0, activeBuffers: 1, usedBytes: 4 * KiB });
  });

  test('waiters are served in arrival order, and a small request never overtakes a big one', async () => {
    const pool = new MemoryPool({ maxBytes: 16 * KiB });
    const first = await pool.acquire(8 * KiB);
    const second = await pool.acquire(8 * KiB);
    const granted: string[] = [];
    const track = (name: string, promise: Promise<BufferLease>) =>
      promise.then((lease) => {
        granted.push(name);
        return lease;
      });
    const big = track('big', pool.acquire(16 * KiB));
    const small = track('small', pool.acquire(4 * KiB));
    first.release();
    // 8 KiB are free and would fit `small`, but `big` arrived first.
    expect(await isSettled(small)).toBe(false);
    second.release();
    (await big).release();
    await small;
    expect(granted).toEqual(['big', 'small']);
  });

  test('one release can serve several waiters at once', async () => {
    const pool = new MemoryPool({ maxBytes: 16 * KiB });
    const holder = await pool.acquire(16 * KiB);
    const waiting = [pool.acquire(4 * KiB), pool.acquire(4 * KiB), pool.acquire(8 * KiB)];
    holder.release();
    const leases = await Promise.all(waiting);
    expect(pool.stats()).toMatchObject({ usedBytes: 16 * KiB, waiters: 0, cachedBytes: 0 });
    for (const lease of leases) lease.release();
  });

  test('a waiter gives up after timeoutMs with a typed RESOURCE_EXHAUSTED error', async () => {
    const pool = new MemoryPool({ maxBytes: 8 * KiB });
    const holder = await pool.acquire(8 * KiB);
    const error = await pool.acquire(KiB, { timeoutMs: 5 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AcquireTimeoutError);
    expect(error).toBeInstanceOf(ResourceExhaustedError);
    expect(error).toMatchObject({
      code: 'RESOURCE_EXHAUSTED',
      httpStatus: 503,
      details: { requestedBytes: KiB, timeoutMs: 5 },
    });
    expect(pool.stats().waiters).toBe(0);
    holder.release();
    expect(pool.stats()).toMatchObject({ activeBuffers: 0, acquisitions: 1 });
  });

  test('a lease granted in time is not taken back by its timeout', async () => {
    const pool = new MemoryPool({ maxBytes: 8 * KiB });
    const holder = await pool.acquire(8 * KiB);
    const waiting = pool.acquire(KiB, { timeoutMs: 60_000 });
    holder.release();
    const lease = await waiting;
    expect(lease.released).toBe(false);
    lease.release();
  });

  test('aborting a waiter rejects it with the signal reason as cause', async () => {
    const pool = new MemoryPool({ maxBytes: 8 * KiB });
    const holder = await pool.acquire(8 * KiB);
    const controller = new AbortController();
    const waiting = pool.acquire(KiB, { signal: controller.signal });
    const reason = new Error('client went away');
    controller.abort(reason);
    const error = await waiting.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AcquireAbortedError);
    expect(error).toMatchObject({ code: 'CANCELLED', cause: reason });
    expect(pool.stats().waiters).toBe(0);
    holder.release();
  });

  test('an already aborted signal rejects at once, even with bytes free', async () => {
    const pool = new MemoryPool({ maxBytes: 8 * KiB });
    await expect(pool.acquire(KiB, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      AcquireAbortedError,
    );
    expect(pool.stats().acquisitions).toBe(0);
  });

  test('when the head of the queue gives up, the waiters behind it are served', async () => {
    const pool = new MemoryPool({ maxBytes: 16 * KiB });
    const holder = await pool.acquire(8 * KiB);
    const controller = new AbortController();
    const blockedHead = pool.acquire(16 * KiB, { signal: controller.signal });
    const behind = pool.acquire(8 * KiB);
    expect(await isSettled(behind)).toBe(false);
    controller.abort();
    await expect(blockedHead).rejects.toBeInstanceOf(AcquireAbortedError);
    (await behind).release();
    holder.release();
  });
});
