import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { MemoryPool, type MemoryPoolStats, SharedByteBudget } from '../src/index.ts';
import type { WorkerInput } from './fixtures/shared-budget-worker.ts';
import { isSettled, KiB } from './helpers.ts';

describe('SharedByteBudget', () => {
  test('pools sharing a budget are capped together and wake each other on release', async () => {
    const budget = SharedByteBudget.create(64 * KiB);
    const first = new MemoryPool({ budget });
    const second = new MemoryPool({ budget: SharedByteBudget.attach(budget.state) });
    expect(second.maxBytes).toBe(64 * KiB);
    const holder = await first.acquire(64 * KiB);
    const waiting = second.acquire(32 * KiB);
    expect(await isSettled(waiting)).toBe(false);
    expect(budget.contended).toBe(true);
    holder.release();
    const lease = await waiting;
    // With another pool waiting, the released buffer went back to the budget instead of a cache.
    expect(first.stats()).toMatchObject({ freeBuffers: 0, cachedBytes: 0 });
    expect(budget.reservedBytes).toBe(32 * KiB);
    lease.release();
    expect(budget.contended).toBe(false);
  });

  test('an idle pool gives its cached buffers back as soon as another pool waits', async () => {
    const budget = SharedByteBudget.create(64 * KiB);
    const idle = new MemoryPool({ budget });
    (await idle.acquire(64 * KiB)).release();
    expect(idle.stats().cachedBytes).toBe(64 * KiB);
    const busy = new MemoryPool({ budget: SharedByteBudget.attach(budget.state) });
    const lease = await busy.acquire(32 * KiB);
    expect(idle.stats()).toMatchObject({ cachedBytes: 0, freeBuffers: 0 });
    lease.release();
  });

  test('attach refuses memory that is not a budget state', () => {
    expect(() => SharedByteBudget.attach(new SharedArrayBuffer(4))).toThrow(TypeError);
  });

  test('worker threads leasing concurrently never hold more than the shared limit', async () => {
    const maxBytes = 256 * KiB;
    const budget = SharedByteBudget.create(maxBytes);
    const ledger = new SharedArrayBuffer(12);
    const seeds = [1, 2, 3, 4];
    const workers = seeds.map((seed) => {
      const sizes = fc.sample(fc.integer({ min: 1, max: 64 * KiB }), { numRuns: 2000, seed });
      const entry = new URL('./fixtures/shared-budget-worker.ts', import.meta.url).href;
      const workerData: WorkerInput = {
        entry,
        budgetState: budget.state,
        ledger,
        workerCount: seeds.length,
        sizes,
      };
      return new Worker(new URL('./fixtures/run-ts-worker.mjs', import.meta.url), { workerData });
    });
    const results = await Promise.all(workers.map(async (worker) => (await once(worker, 'message'))[0]));
    const stats = results as MemoryPoolStats[];
    const [heldAtEnd, overshoots] = new Int32Array(ledger);
    expect(overshoots).toBe(0);
    expect(heldAtEnd).toBe(0);
    expect(stats.map((s) => s.releases)).toEqual([2000, 2000, 2000, 2000]);
    expect(budget.reservedBytes).toBe(0);
  });
});
