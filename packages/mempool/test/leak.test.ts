import { expect, test } from 'vitest';
import { type BufferLease, MemoryPool } from '../src/index.ts';
import { KiB, turns } from './helpers.ts';

/** Leases a buffer and drops every reference to it without releasing: the bug leak detection is for. */
async function leakOneLease(pool: MemoryPool, size: number): Promise<void> {
  const lease = await pool.acquire(size);
  lease.bytes.fill(7);
}

/**
 * Runs full collections until `done()`: no cap, the test's timeout is the only bound. A full
 * collection frees every buffer unreachable at that moment, and the registry's callbacks for all of
 * them then run together in one later task (V8 drains a registry's cleared cells in one go).
 */
async function collectUntil(done: () => boolean): Promise<void> {
  const gc = globalThis.gc;
  if (gc === undefined) throw new Error('Run with --expose-gc (set in vitest.config.ts)');
  while (!done()) {
    gc();
    await turns(1);
  }
}

test('a lease garbage-collected without release is counted and its bytes return to the budget', async () => {
  const pool = new MemoryPool({ maxBytes: 64 * KiB });
  await leakOneLease(pool, 64 * KiB);
  // The pool is full until the leak is noticed, so this waiter proves the bytes really come back.
  const waiting = pool.acquire(64 * KiB);
  await collectUntil(() => pool.stats().leakCount > 0);
  const lease = await waiting;
  expect(pool.stats()).toMatchObject({ leakCount: 1, activeBuffers: 1, usedBytes: 64 * KiB, releases: 0 });
  lease.release();
});

test('released leases and leases still referenced are never reported as leaks', async () => {
  const pool = new MemoryPool({ maxBytes: 64 * KiB });
  const kept: BufferLease[] = [];
  for (let i = 0; i < 4; i += 1) kept.push(await pool.acquire(8 * KiB));
  await pool.withLease(8 * KiB, (lease) => lease.bytes.fill(1));
  // A view of a dropped lease still pins its memory: the bytes are not free yet.
  const orphanView = (await pool.acquire(8 * KiB)).bytes;
  await leakOneLease(pool, 8 * KiB);
  // Everything else that was unreachable (the released lease) was freed by the same collection as
  // the dropped one, and its callback would have run with the dropped one's: only one may count.
  await collectUntil(() => pool.stats().leakCount > 0);
  expect(pool.stats()).toMatchObject({ leakCount: 1, activeBuffers: 5 });
  expect(orphanView.length).toBe(8 * KiB);
  for (const lease of kept) lease.release();
});
