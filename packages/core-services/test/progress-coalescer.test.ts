import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ProgressCoalescer } from '../src/progress/progress-coalescer.ts';

interface Offered {
  operationId: string;
  done: number;
}

/** A coalescer on a clock the test moves; publications are recorded. */
function coalescing(intervalMs: number) {
  let now = 0;
  const published: Offered[] = [];
  const coalescer = new ProgressCoalescer<Offered>(
    async (event) => {
      published.push(event);
    },
    intervalMs,
    () => now,
  );
  return {
    coalescer,
    published,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('progress coalescer', () => {
  it('publishes the first event at once and then at most one per interval, always the newest', async () => {
    // Timers run on the real clock: an interval short enough for the test to wait it out.
    const { coalescer, published, advance } = coalescing(50);
    coalescer.offer({ operationId: 'a', done: 1 });
    for (let done = 2; done <= 1_000; done += 1) coalescer.offer({ operationId: 'a', done });
    await delay(0);
    expect(published).toEqual([{ operationId: 'a', done: 1 }]);
    advance(50);
    await delay(80);
    expect(published).toEqual([
      { operationId: 'a', done: 1 },
      { operationId: 'a', done: 1_000 },
    ]);
  });

  it('keeps operations apart and flushes the newest one of an operation at once', async () => {
    const { coalescer, published } = coalescing(60 * 60 * 1000);
    coalescer.offer({ operationId: 'a', done: 1 });
    coalescer.offer({ operationId: 'b', done: 1 });
    coalescer.offer({ operationId: 'a', done: 2 });
    coalescer.offer({ operationId: 'a', done: 3 });
    await coalescer.flush('a');
    expect(published).toEqual([
      { operationId: 'a', done: 1 },
      { operationId: 'b', done: 1 },
      { operationId: 'a', done: 3 },
    ]);
    // Nothing waits for b: a flush publishes nothing more.
    await coalescer.flush('b');
    expect(published).toHaveLength(3);
  });

  it('publishes every event when the interval is 0', async () => {
    const { coalescer, published } = coalescing(0);
    for (let done = 1; done <= 5; done += 1) coalescer.offer({ operationId: 'a', done });
    await coalescer.flush('a');
    expect(published.map((event) => event.done)).toEqual([1, 2, 3, 4, 5]);
  });
});
