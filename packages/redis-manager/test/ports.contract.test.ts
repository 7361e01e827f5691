import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type KeyValueCache,
  MemoryCache,
  MemoryPubSub,
  MemoryRateLimiter,
  type PubSub,
  type RateLimiter,
  RedisCache,
  RedisManager,
  RedisPubSub,
  RedisRateLimiter,
} from '../src/index.ts';
import { RecordingLogger } from './support/recording-logger.ts';
import { SHARED_REDIS_URL, uniquePrefix } from './support/shared-redis.ts';

interface Ports {
  cache: KeyValueCache;
  pubsub: PubSub;
  /** Two limiters over one store: one process twice in memory, two processes' managers in Redis. */
  limiters: [RateLimiter, RateLimiter];
  logger: RecordingLogger;
  close(): Promise<void>;
}

/** The sliding-window test's window: three calls in a row always land inside it. */
const SLIDING_WINDOW_MS = 1_500;

const implementations: [string, () => Promise<Ports>][] = [
  [
    'in-process',
    async () => {
      const logger = new RecordingLogger();
      const limiter = new MemoryRateLimiter();
      return {
        cache: new MemoryCache({ maxEntries: 1_000 }),
        pubsub: new MemoryPubSub({ logger }),
        limiters: [limiter, limiter],
        logger,
        close: async () => {},
      };
    },
  ],
  [
    'redis',
    async () => {
      const logger = new RecordingLogger();
      const keyPrefix = uniquePrefix('contract');
      const managers = [0, 1].map(() => new RedisManager({ url: SHARED_REDIS_URL, keyPrefix, logger }));
      const [first, second] = managers as [RedisManager, RedisManager];
      await Promise.all(managers.map((manager) => manager.waitUntilReady()));
      return {
        cache: new RedisCache(first),
        pubsub: new RedisPubSub(first, { logger }),
        limiters: [new RedisRateLimiter(first), new RedisRateLimiter(second)],
        logger,
        close: async () => {
          await first.purgeKeys();
          await Promise.all(managers.map((manager) => manager.close()));
        },
      };
    },
  ],
];

/** Collects a channel's messages; `next(n)` resolves once n have arrived. */
function collector() {
  const messages: string[] = [];
  let waiting: { count: number; resolve: () => void } | undefined;
  return {
    messages,
    handler: (message: string) => {
      messages.push(message);
      if (waiting !== undefined && messages.length >= waiting.count) waiting.resolve();
    },
    next: (count: number) =>
      new Promise<void>((resolve) => {
        if (messages.length >= count) resolve();
        else waiting = { count, resolve };
      }),
  };
}

describe.each(implementations)('%s ports', (_name, create) => {
  let ports: Ports;

  beforeAll(async () => {
    ports = await create();
  });

  afterAll(async () => {
    await ports.close();
  });

  describe('KeyValueCache', () => {
    it('answers undefined for a missing key', async () => {
      expect(await ports.cache.get('missing')).toBeUndefined();
      expect(await ports.cache.getBuffer('missing')).toBeUndefined();
    });

    it('round-trips text, and exact bytes including invalid UTF-8', async () => {
      await ports.cache.set('text', 'naïve ☃ 𝄞', 60);
      expect(await ports.cache.get('text')).toBe('naïve ☃ 𝄞');
      expect(await ports.cache.getBuffer('text')).toEqual(Buffer.from('naïve ☃ 𝄞'));

      const bytes = Buffer.from([0xff, 0x00, 0xc3, 0x28, 0x80]);
      await ports.cache.set('bytes', bytes, 60);
      expect(await ports.cache.getBuffer('bytes')).toEqual(bytes);
    });

    it('keeps its own copy of the value', async () => {
      const value = Buffer.from('original');
      await ports.cache.set('copied', value, 60);
      value.write('mutated!');
      const read = await ports.cache.getBuffer('copied');
      read?.write('changed!');
      expect(await ports.cache.get('copied')).toBe('original');
    });

    it('replaces and deletes', async () => {
      await ports.cache.set('k', 'one', 60);
      await ports.cache.set('k', 'two', 60);
      expect(await ports.cache.get('k')).toBe('two');
      expect(await ports.cache.has('k')).toBe(true);
      expect(await ports.cache.delete('k')).toBe(true);
      expect(await ports.cache.has('k')).toBe(false);
      expect(await ports.cache.delete('k')).toBe(false);
      expect(await ports.cache.get('k')).toBeUndefined();
    });

    it('round-trips long text beyond ASCII, as the same UTF-8 bytes', async () => {
      const text = `{"content":"${'naïve ☃ 𝄞 — '.repeat(20_000)}"}`;
      await ports.cache.set('long text', text, 60);
      expect(await ports.cache.get('long text')).toBe(text);
      expect((await ports.cache.getBuffer('long text'))?.equals(Buffer.from(text))).toBe(true);
    });

    it('holds a 1 MB value', async () => {
      const large = 'x'.repeat(1024 * 1024);
      await ports.cache.set('large', large, 60);
      expect(await ports.cache.get('large')).toBe(large);
    });

    it('forgets a value after its TTL', async () => {
      await ports.cache.set('short', 'v', 1);
      expect(await ports.cache.get('short')).toBe('v');
      // Gone once its second has passed: waited for, not slept through.
      await vi.waitFor(async () => expect(await ports.cache.has('short')).toBe(false), {
        timeout: 5_000,
        interval: 50,
      });
      expect(await ports.cache.get('short')).toBeUndefined();
      expect(await ports.cache.delete('short')).toBe(false);
    });

    it.each([0, -1, 1.5, Number.NaN])('rejects the TTL %s', async (ttl) => {
      await expect(ports.cache.set('bad', 'v', ttl)).rejects.toThrow(RangeError);
    });
  });

  describe('PubSub', () => {
    it('delivers messages published after subscribe, in order, to every handler of the channel', async () => {
      const [a, b] = [collector(), collector()];
      const stops = [
        await ports.pubsub.subscribe('ordered', a.handler),
        await ports.pubsub.subscribe('ordered', b.handler),
      ];
      const sent = Array.from({ length: 20 }, (_, i) => `m${i}`);
      for (const message of sent) await ports.pubsub.publish('ordered', message);
      await Promise.all([a.next(20), b.next(20)]);
      expect(a.messages).toEqual(sent);
      expect(b.messages).toEqual(sent);
      await Promise.all(stops.map((stop) => stop()));
    });

    it('keeps channels apart', async () => {
      const listener = collector();
      const stop = await ports.pubsub.subscribe('left', listener.handler);
      await ports.pubsub.publish('right', 'not for left');
      await ports.pubsub.publish('left', 'for left');
      await listener.next(1);
      expect(listener.messages).toEqual(['for left']);
      await stop();
    });

    it('stops delivering to an unsubscribed handler while others still receive', async () => {
      const [leaving, staying] = [collector(), collector()];
      const stopLeaving = await ports.pubsub.subscribe('partial', leaving.handler);
      const stopStaying = await ports.pubsub.subscribe('partial', staying.handler);
      await ports.pubsub.publish('partial', 'both');
      await Promise.all([leaving.next(1), staying.next(1)]);
      await stopLeaving();
      await stopLeaving();
      await ports.pubsub.publish('partial', 'only staying');
      await staying.next(2);
      expect(staying.messages).toEqual(['both', 'only staying']);
      expect(leaving.messages).toEqual(['both']);
      await stopStaying();
    });

    it('resubscribes a channel whose last handler left', async () => {
      const first = collector();
      await (await ports.pubsub.subscribe('again', first.handler))();
      const second = collector();
      const stop = await ports.pubsub.subscribe('again', second.handler);
      await ports.pubsub.publish('again', 'back');
      await second.next(1);
      expect(second.messages).toEqual(['back']);
      expect(first.messages).toEqual([]);
      await stop();
    });

    it('isolates a throwing handler from the others and logs it', async () => {
      const healthy = collector();
      const stops = [
        await ports.pubsub.subscribe('faulty', () => {
          throw new Error('handler bug');
        }),
        await ports.pubsub.subscribe('faulty', healthy.handler),
      ];
      await ports.pubsub.publish('faulty', 'still delivered');
      await healthy.next(1);
      expect(healthy.messages).toEqual(['still delivered']);
      expect(ports.logger.messages()).toContain('pub/sub handler failed');
      await Promise.all(stops.map((stop) => stop()));
    });
  });

  describe('RateLimiter', () => {
    it('allows `limit` requests per window, then denies with the wait until the next one', async () => {
      const [limiter] = ports.limiters;
      const decisions = [];
      for (let i = 0; i < 4; i++) decisions.push(await limiter.consume('client-a', 3, 60_000));
      expect(decisions.slice(0, 3)).toEqual([
        { allowed: true, remaining: 2, retryAfterMs: 0 },
        { allowed: true, remaining: 1, retryAfterMs: 0 },
        { allowed: true, remaining: 0, retryAfterMs: 0 },
      ]);
      const denied = decisions[3];
      expect(denied).toMatchObject({ allowed: false, remaining: 0 });
      expect(denied?.retryAfterMs).toBeGreaterThan(0);
      expect(denied?.retryAfterMs).toBeLessThanOrEqual(60_000);
      expect(await limiter.consume('client-b', 3, 60_000)).toMatchObject({ allowed: true, remaining: 2 });
    });

    it('allows again once the window has slid past the oldest admission', async () => {
      const [limiter] = ports.limiters;
      // A window long enough that three calls in a row always land in it, even on a busy machine.
      await limiter.consume('sliding', 2, SLIDING_WINDOW_MS);
      await limiter.consume('sliding', 2, SLIDING_WINDOW_MS);
      const denied = await limiter.consume('sliding', 2, SLIDING_WINDOW_MS);
      expect(denied.allowed).toBe(false);
      // What the test is about is time passing: it waits as long as the limiter says.
      await sleep(denied.retryAfterMs + 20);
      expect(await limiter.consume('sliding', 2, SLIDING_WINDOW_MS)).toMatchObject({ allowed: true });
    });

    it('admits exactly `limit` of many concurrent requests from two limiters sharing the store', async () => {
      const attempts = Array.from({ length: 60 }, (_, i) =>
        ports.limiters[i % 2]?.consume('burst', 10, 60_000),
      );
      const decisions = await Promise.all(attempts);
      expect(decisions.filter((decision) => decision?.allowed)).toHaveLength(10);
      const remaining = decisions
        .filter((decision) => decision?.allowed)
        .map((decision) => decision?.remaining);
      expect(remaining.sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    });

    it('grants a batch what room the window has, counts it, and says when the rest may come', async () => {
      const [first, second] = ports.limiters;
      await first.consume('batch', 1000, 60_000);
      expect(await first.consumeUpTo('batch', 600, 1000, 60_000)).toEqual({ granted: 600, retryAfterMs: 0 });
      const partial = await second.consumeUpTo('batch', 700, 1000, 60_000);
      expect(partial.granted).toBe(399);
      expect(partial.retryAfterMs).toBeGreaterThan(0);
      expect(partial.retryAfterMs).toBeLessThanOrEqual(60_000);
      expect((await first.consumeUpTo('batch', 5, 1000, 60_000)).granted).toBe(0);
      expect((await first.consume('batch', 1000, 60_000)).allowed).toBe(false);
      expect(await first.consumeUpTo('batch', 0, 1000, 60_000)).toEqual({ granted: 0, retryAfterMs: 0 });
      await expect(first.consumeUpTo('batch', -1, 1000, 60_000)).rejects.toThrow(RangeError);
    });

    it.each([
      [0, 1000],
      [1.5, 1000],
      [5, 0],
      [5, -10],
    ])('rejects limit %s with window %s ms', async (limit, windowMs) => {
      await expect(ports.limiters[0].consume('bad', limit, windowMs)).rejects.toThrow(RangeError);
    });
  });
});
