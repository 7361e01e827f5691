// Acquire/release throughput of MemoryPool against the same awaits around a held buffer.
// Run: `vitest bench` here, or `pnpm bench` (writes bench-results/mempool.json; docs/development.md,
// "Benchmarks"). The tasks run in short interleaved rounds (one describe group per round), so load
// from other processes hits every task of a round alike; bench:check reads the median over rounds
// of each round's task ÷ reference, far steadier than one long run of each task.
import { bench, describe } from 'vitest';
import { MemoryPool, SharedByteBudget } from '../src/index.ts';

const KiB = 1024;
const MiB = 1024 * KiB;
const WINDOW = 64 * KiB;

async function leaseAndRelease(pool: MemoryPool, size: number): Promise<void> {
  await using lease = await pool.acquire(size);
  lease.bytes[0] = 1;
}

/**
 * The same async shape as leaseAndRelease (an awaited call, an async dispose) around a buffer already
 * held, without the pool: the gate's reference. Load from other processes slows it as much as the
 * pool's own JavaScript, so their ratio holds far steadier than a ratio to an allocation.
 */
async function touchHeldBuffer(buffer: Buffer): Promise<void> {
  await using held = await holding(buffer);
  held.bytes[0] = 1;
}

async function holding(bytes: Buffer) {
  return { bytes, [Symbol.asyncDispose]: async () => {} };
}

/** 100 tasks contending for a pool that fits 16 windows: exercises the FIFO wait queue. */
async function contendedBurst(pool: MemoryPool): Promise<void> {
  await Promise.all(Array.from({ length: 100 }, () => leaseAndRelease(pool, WINDOW)));
}

const ROUNDS = 15;
const ROUND_MS = 100;

const privatePool = new MemoryPool({ maxBytes: 64 * MiB });
const sharedPool = new MemoryPool({ budget: SharedByteBudget.create(64 * MiB) });
const contendedPool = new MemoryPool({ maxBytes: 16 * WINDOW });
const heldBuffer = Buffer.allocUnsafeSlow(WINDOW);
const tasks: Record<string, () => void | Promise<void>> = {
  'acquire+release 64 KiB (reused buffer)': () => leaseAndRelease(privatePool, WINDOW),
  'acquire+release 64 KiB, shared budget': () => leaseAndRelease(sharedPool, WINDOW),
  'baseline: the same awaits around a held 64 KiB buffer': () => touchHeldBuffer(heldBuffer),
  // For readers (docs/performance.md compares the pool with allocating); `compare:` tasks are not gated.
  'compare: Buffer.allocUnsafeSlow 64 KiB': () => {
    Buffer.allocUnsafeSlow(WINDOW)[0] = 1;
  },
  '100 tasks × 64 KiB on a 16-window pool': () => contendedBurst(contendedPool),
};

for (let round = 1; round <= ROUNDS; round++) {
  describe(`pool vs the same awaits · round ${round}`, () => {
    // Only the first round warms up: the later ones run on code the first made hot.
    const options = round === 1 ? { time: ROUND_MS } : { time: ROUND_MS, warmupTime: 0, warmupIterations: 0 };
    for (const [name, fn] of Object.entries(tasks)) bench(name, fn, options);
  });
}
