import { Queue, QueueEvents, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisManager } from '../src/index.ts';
import { RecordingLogger } from './support/recording-logger.ts';
import { SHARED_REDIS_URL, uniquePrefix } from './support/shared-redis.ts';

describe('BullMQ over the manager connections', () => {
  let manager: RedisManager;

  beforeAll(async () => {
    manager = new RedisManager({
      url: SHARED_REDIS_URL,
      keyPrefix: uniquePrefix('bullmq'),
      logger: new RecordingLogger(),
    });
    await manager.waitUntilReady();
  });

  afterAll(async () => {
    await manager.purgeKeys();
    await manager.close();
  });

  it('runs a job: Queue on the commands client, Worker and QueueEvents from the blocking client', async () => {
    const queue = new Queue('chunking', manager.bullmqQueue());
    const events = new QueueEvents('chunking', manager.bullmqWorker());
    const worker = new Worker('chunking', async (job) => ({ doubled: (job.data as { n: number }).n * 2 }), {
      ...manager.bullmqWorker(),
      concurrency: 2,
    });
    try {
      await Promise.all([worker.waitUntilReady(), events.waitUntilReady()]);
      const job = await queue.add('double', { n: 21 });
      expect(await job.waitUntilFinished(events, 10_000)).toEqual({ doubled: 42 });
      // Every BullMQ key lives under this manager's prefix, so purgeKeys cleans them up.
      const keys = await manager.commands().keys(`${manager.bullmqQueue().prefix}:chunking:*`);
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.every((key) => key.startsWith(`${manager.keys.prefix}:`))).toBe(true);
    } finally {
      await Promise.all([worker.close(), events.close(), queue.close()]);
    }
    // BullMQ closed only the duplicates it made; the manager's own clients still work.
    expect(await manager.commands().ping()).toBe('PONG');
    expect(manager.blocking().status).not.toBe('end');
  });
});
