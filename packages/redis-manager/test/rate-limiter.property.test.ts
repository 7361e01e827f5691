import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryRateLimiter } from '../src/index.ts';

/** A clock the test moves by hand. */
function manualClock() {
  let now = 1_000_000;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const scenario = fc.record({
  limit: fc.integer({ min: 1, max: 8 }),
  windowMs: fc.integer({ min: 1, max: 1_000 }),
  gaps: fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 80 }),
});

describe('MemoryRateLimiter (sliding-window log)', () => {
  it('never admits more than `limit` in any window, and denies only when the window is full', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ limit, windowMs, gaps }) => {
        const clock = manualClock();
        const limiter = new MemoryRateLimiter({ clock, maxKeys: 4 });
        const admitted: number[] = [];
        for (const gap of gaps) {
          clock.advance(gap);
          const now = clock.now();
          const inWindow = admitted.filter((at) => at > now - windowMs).length;
          const decision = await limiter.consume('key', limit, windowMs);
          expect(decision.allowed).toBe(inWindow < limit);
          if (decision.allowed) {
            admitted.push(now);
            expect(decision.remaining).toBe(limit - inWindow - 1);
          } else {
            expect(decision.remaining).toBe(0);
          }
        }
        // The defining invariant, checked over every window that starts at an admission.
        for (const start of admitted) {
          expect(admitted.filter((at) => at >= start && at < start + windowMs).length).toBeLessThanOrEqual(
            limit,
          );
        }
      }),
    );
  });

  it('reports a retryAfterMs that is exactly the wait until the next admission', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ limit, windowMs, gaps }) => {
        const clock = manualClock();
        const limiter = new MemoryRateLimiter({ clock, maxKeys: 4 });
        for (const gap of gaps) {
          clock.advance(gap);
          const decision = await limiter.consume('key', limit, windowMs);
          if (decision.allowed) continue;
          expect(decision.retryAfterMs).toBeGreaterThan(0);
          expect(decision.retryAfterMs).toBeLessThanOrEqual(windowMs);
          // One millisecond early is still too early (its own denial is not logged, so this probes freely).
          clock.advance(decision.retryAfterMs - 1);
          expect((await limiter.consume('key', limit, windowMs)).allowed).toBe(false);
          clock.advance(1);
          expect((await limiter.consume('key', limit, windowMs)).allowed).toBe(true);
        }
      }),
    );
  });

  it('forgets the least recently used key once it tracks maxKeys, and only then (property)', async () => {
    const steps = fc.array(fc.record({ gap: fc.integer({ min: 0, max: 50 }), key: fc.nat(7) }), {
      minLength: 1,
      maxLength: 120,
    });
    const lruScenario = fc.record({
      maxKeys: fc.integer({ min: 1, max: 4 }),
      limit: fc.integer({ min: 1, max: 3 }),
      windowMs: fc.integer({ min: 1, max: 2_000 }),
      steps,
    });
    await fc.assert(
      fc.asyncProperty(lruScenario, async ({ maxKeys, limit, windowMs, steps }) => {
        const clock = manualClock();
        const limiter = new MemoryRateLimiter({ clock, maxKeys });
        // The model: each tracked key's admissions, least recently used first.
        const tracked = new Map<string, number[]>();
        for (const { gap, key: index } of steps) {
          clock.advance(gap);
          const now = clock.now();
          const key = `key-${index}`;
          const known = tracked.get(key);
          if (known) tracked.delete(key);
          else if (tracked.size === maxKeys) {
            // A new key in a full table: the least recently used one is forgotten.
            const [oldest] = tracked.keys();
            tracked.delete(oldest as string);
          }
          const inWindow = (known ?? []).filter((at) => at > now - windowMs);
          const decision = await limiter.consume(key, limit, windowMs);
          expect(decision.allowed, `${key} with ${inWindow.length} admissions in its window`).toBe(
            inWindow.length < limit,
          );
          if (decision.allowed) inWindow.push(now);
          tracked.set(key, inWindow);
        }
      }),
      { numRuns: 300 },
    );
  });
});
