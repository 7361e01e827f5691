import { randomBytes } from 'node:crypto';
import { MemoryPubSub, RedisManager, RedisPubSub } from '@chunkflow/redis-manager';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryEventLog } from '../src/progress/memory-event-log.ts';
import type { ProgressEvent, ProgressEventInput } from '../src/progress/progress-events.ts';
import { ProgressStream, type TrackedProgressEvent } from '../src/progress/progress-stream.ts';
import { RedisEventLog } from '../src/progress/redis-event-log.ts';

const logger = pino({ level: 'silent' });
/** A quiet follower re-reads the log only after this long, which no test waits for: live events can only come through announcements. */
const limits = { maxLength: 100, ttlSeconds: 60, idleCheckMs: 60 * 60 * 1000 };
const redis = new RedisManager({
  url: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  keyPrefix: `chunkflow-progress-test-${randomBytes(6).toString('hex')}`,
  logger,
});

beforeAll(() => redis.waitUntilReady());

afterAll(async () => {
  await redis.purgeKeys();
  await redis.close();
});

const streams: [string, () => ProgressStream][] = [
  [
    'Redis',
    () => new ProgressStream(new RedisEventLog(redis, limits), new RedisPubSub(redis, { logger }), limits),
  ],
  ['in-process', () => new ProgressStream(new MemoryEventLog(limits), new MemoryPubSub({ logger }), limits)],
];

const counters = { documentsDone: 1, documentsTotal: 2, chunksCreated: 5 };

function eventsOf(operationId: string): ProgressEventInput[] {
  return [
    { type: 'started', operationId, documentsTotal: 2 },
    { type: 'document_completed', operationId, ...counters, currentDocument: { id: 'd1', name: 'a' } },
    {
      type: 'document_completed',
      operationId,
      ...counters,
      documentsDone: 2,
      currentDocument: { id: 'd2', name: 'b' },
    },
    { type: 'completed', operationId, ...counters, documentsDone: 2, processingMs: 12 },
  ];
}

async function collect(events: AsyncIterable<TrackedProgressEvent>): Promise<TrackedProgressEvent[]> {
  const seen: TrackedProgressEvent[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

const never = { finalEvent: async () => undefined };

describe.each(streams)('%s progress stream', (_name, makeStream) => {
  it('delivers live events to a follower that subscribed first, then ends after the terminal one', async () => {
    const stream = makeStream();
    const operationId = randomBytes(8).toString('hex');
    // Asked once, after the follower subscribed and found the log empty: from then on it waits.
    let quiet: () => void = () => {};
    const followerQuiet = new Promise<void>((resolve) => {
      quiet = resolve;
    });
    const follower = stream
      .follow(operationId, undefined, {
        finalEvent: async () => {
          quiet();
          return undefined;
        },
      })
      [Symbol.asyncIterator]();
    const seen: TrackedProgressEvent[] = [];
    let next = follower.next();
    await followerQuiet;
    // One event at a time, each published only once the follower delivered the previous one:
    // it has read the log by then, so it can learn of the next only from its announcement.
    for (const event of eventsOf(operationId)) {
      await stream.publish(event);
      const step = await next;
      if (step.done) break;
      seen.push(step.value);
      next = follower.next();
    }
    expect(await next).toMatchObject({ done: true });
    expect(seen.map((event) => event.event.type)).toEqual([
      'started',
      'document_completed',
      'document_completed',
      'completed',
    ]);
    expect(new Set(seen.map((event) => event.id)).size).toBe(4);
  });

  it('drops progress that would go back (published late by another process) and anything after the end', async () => {
    const stream = makeStream();
    const operationId = randomBytes(8).toString('hex');
    const progress = (documentsDone: number): ProgressEventInput => ({
      type: 'document_completed',
      operationId,
      ...counters,
      documentsDone,
      currentDocument: { id: `d${documentsDone}`, name: '' },
    });
    const [started, , , completed] = eventsOf(operationId) as ProgressEventInput[];
    const published = [];
    for (const event of [started, progress(2), progress(1), progress(2), progress(3), completed, progress(4)])
      published.push(await stream.publish(event as ProgressEventInput));
    expect(published.map((id) => id !== undefined)).toEqual([true, true, false, false, true, true, false]);
    const seen = await collect(stream.follow(operationId, undefined, never));
    expect(seen.map(({ event }) => ('documentsDone' in event ? event.documentsDone : event.type))).toEqual([
      'started',
      2,
      3,
      2,
    ]);
    expect(seen.at(-1)?.event.type).toBe('completed');
  });

  it('replays after lastEventId exactly', async () => {
    const stream = makeStream();
    const operationId = randomBytes(8).toString('hex');
    const ids: string[] = [];
    for (const event of eventsOf(operationId)) ids.push((await stream.publish(event)) ?? 'dropped');
    const all = await collect(stream.follow(operationId, undefined, never));
    const resumed = await collect(stream.follow(operationId, ids[1], never));
    expect(all.map((event) => event.id)).toEqual(ids);
    expect(resumed).toEqual(all.slice(2));
  });

  it('ends with the stored final state when the operation ended without a logged terminal event', async () => {
    const stream = makeStream();
    const operationId = randomBytes(8).toString('hex');
    const final: ProgressEvent = {
      type: 'cancelled',
      operationId,
      at: new Date().toISOString(),
      ...counters,
    };
    const seen = await collect(stream.follow(operationId, undefined, { finalEvent: async () => final }));
    expect(seen.map((event) => event.event)).toEqual([final]);
  });
});

describe('Redis progress log', () => {
  it('bounds and expires each stream', async () => {
    const log = new RedisEventLog(redis, { maxLength: 10, ttlSeconds: 30 });
    for (let index = 0; index < 500; index += 1) await log.append('bounded', String(index));
    const key = redis.keys.of('progress', 'bounded');
    expect(await redis.commands().xlen(key)).toBeLessThan(500);
    const ttl = await redis.commands().ttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30);
  });
});
