import fc from 'fast-check';
import { expect, test } from 'vitest';
import { AcquireAbortedError, LeaseTooLargeError, MemoryPool } from '../src/index.ts';
import { KiB, turns } from './helpers.ts';

class ThrownInside extends Error {}

interface Request {
  size: number;
  startAfterTurns: number;
  holdTurns: number;
  abortAfterTurns: number | null;
  throwsInside: boolean;
}

/** What the test itself sees held: the pool must agree with it and never exceed its limit. */
class Ledger {
  readonly #live = new Set<ArrayBufferLike>();
  #heldBytes = 0;

  constructor(readonly pool: MemoryPool) {}

  hold(memory: ArrayBufferLike, capacity: number): void {
    expect(this.#live.has(memory), 'one buffer leased twice at once').toBe(false);
    this.#live.add(memory);
    this.#heldBytes += capacity;
    this.check();
  }

  drop(memory: ArrayBufferLike, capacity: number): void {
    this.#live.delete(memory);
    this.#heldBytes -= capacity;
  }

  check(): void {
    const { usedBytes, cachedBytes, maxBytes } = this.pool.stats();
    // Granted leases whose callers have not resumed yet count as used before the test sees them.
    expect(this.#heldBytes).toBeLessThanOrEqual(usedBytes);
    expect(usedBytes + cachedBytes).toBeLessThanOrEqual(maxBytes);
  }
}

type Outcome = 'granted' | 'too large' | 'aborted';

/** Runs one request; a refusal is accepted only when it was warranted, and reported as such. */
async function run(pool: MemoryPool, ledger: Ledger, request: Request): Promise<Outcome> {
  await turns(request.startAfterTurns);
  const controller = new AbortController();
  const { abortAfterTurns } = request;
  if (abortAfterTurns !== null) void turns(abortAfterTurns).then(() => controller.abort());
  let outcome: Outcome = 'granted';
  try {
    await using lease = await pool.acquire(request.size, { signal: controller.signal });
    const memory = lease.buffer.buffer;
    expect(lease.buffer.length).toBe(request.size);
    ledger.hold(memory, lease.capacity);
    await turns(request.holdTurns);
    ledger.drop(memory, lease.capacity);
    if (request.throwsInside) throw new ThrownInside();
  } catch (error) {
    if (error instanceof LeaseTooLargeError) {
      expect(request.size, 'refused as too large although it fits the pool').toBeGreaterThan(pool.maxBytes);
      outcome = 'too large';
    } else if (error instanceof AcquireAbortedError) {
      expect(controller.signal.aborted, 'refused as aborted although its signal never fired').toBe(true);
      outcome = 'aborted';
    } else if (!(error instanceof ThrownInside)) {
      throw error;
    }
  }
  ledger.check();
  return outcome;
}

const requestArbitrary = (maxBytes: number): fc.Arbitrary<Request> =>
  fc.record({
    // Up to 1.5× the limit, so some requests can never fit and must fail at once.
    size: fc.integer({ min: 0, max: Math.floor(maxBytes * 1.5) }),
    startAfterTurns: fc.nat(4),
    holdTurns: fc.nat(6),
    abortAfterTurns: fc.option(fc.nat(8)),
    throwsInside: fc.boolean(),
  });

test('random sizes, holds, aborts and throws never over-allocate, hand out one buffer twice, or strand anyone', async () => {
  const scenario = fc.integer({ min: 4 * KiB, max: 256 * KiB }).chain((maxBytes) =>
    fc.record({
      maxBytes: fc.constant(maxBytes),
      maxCachedBytes: fc.integer({ min: 0, max: maxBytes }),
      requests: fc.array(requestArbitrary(maxBytes), { maxLength: 40 }),
    }),
  );
  await fc.assert(
    fc.asyncProperty(scenario, async ({ maxBytes, maxCachedBytes, requests }) => {
      const pool = new MemoryPool({ maxBytes, maxCachedBytes, minBufferBytes: 512 });
      const ledger = new Ledger(pool);
      const outcomes = await Promise.all(requests.map((request) => run(pool, ledger, request)));
      // Both ways: what fits and is never aborted is granted; what can never fit is refused.
      requests.forEach((request, index) => {
        if (request.size > maxBytes) expect(outcomes[index]).toBe('too large');
        else if (request.abortAfterTurns === null) expect(outcomes[index]).toBe('granted');
      });
      const stats = pool.stats();
      expect(stats.acquisitions).toBe(outcomes.filter((outcome) => outcome === 'granted').length);
      expect(stats).toMatchObject({ activeBuffers: 0, usedBytes: 0, waiters: 0, leakCount: 0 });
      expect(stats.releases).toBe(stats.acquisitions);
      expect(stats.cachedBytes).toBeLessThanOrEqual(maxCachedBytes);
      expect(stats.peakBytes).toBeLessThanOrEqual(maxBytes);
    }),
    { numRuns: 150 },
  );
});

test('thousands of concurrent tasks all complete within the budget', async () => {
  const maxBytes = 256 * KiB;
  const pool = new MemoryPool({ maxBytes });
  const ledger = new Ledger(pool);
  const sizes = fc.sample(fc.integer({ min: 1, max: 64 * KiB }), { numRuns: 5000, seed: 42 });
  await Promise.all(
    sizes.map((size, index) =>
      run(pool, ledger, {
        size,
        startAfterTurns: 0,
        holdTurns: index % 3,
        abortAfterTurns: null,
        throwsInside: false,
      }),
    ),
  );
  const stats = pool.stats();
  expect(stats).toMatchObject({ activeBuffers: 0, acquisitions: 5000, releases: 5000, waiters: 0 });
  expect(stats.peakBytes).toBeLessThanOrEqual(maxBytes);
});
