import { randomBytes } from 'node:crypto';
import { RedisManager } from '@chunkflow/redis-manager';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { BullmqJobQueue } from '../src/jobs/bullmq-job-queue.ts';
import { InProcessJobQueue } from '../src/jobs/in-process-job-queue.ts';
import {
  type ChunkingJob,
  type JobProcessor,
  type JobQueue,
  PermanentJobError,
} from '../src/jobs/job-queue.ts';

const logger = pino({ level: 'silent' });
const retry = { attempts: 3, backoffMs: 20 };
const managers: RedisManager[] = [];

function redisManager(): RedisManager {
  const manager = new RedisManager({
    url: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    keyPrefix: `chunkflow-jobs-test-${randomBytes(6).toString('hex')}`,
    logger,
  });
  managers.push(manager);
  return manager;
}

afterAll(async () => {
  for (const manager of managers) {
    await manager.purgeKeys();
    await manager.close();
  }
});

/** Runs each job through `attempt` (which may throw) and records what the queue did. */
function recordingProcessor(attempt: (job: ChunkingJob, call: number) => void) {
  const runs: string[] = [];
  const givenUp: { operationId: string; error: unknown }[] = [];
  let settle: () => void = () => {};
  const settled = new Promise<void>((resolve) => {
    settle = resolve;
  });
  const processor: JobProcessor = {
    async run(job) {
      runs.push(job.operationId);
      attempt(job, runs.filter((id) => id === job.operationId).length);
      settle();
    },
    async giveUp(job, error) {
      givenUp.push({ operationId: job.operationId, error });
      settle();
    },
  };
  return { processor, runs, givenUp, settled };
}

const queues: [string, () => Promise<JobQueue>][] = [
  [
    'BullMQ',
    async () => {
      const manager = redisManager();
      await manager.waitUntilReady();
      return new BullmqJobQueue(manager, retry, logger);
    },
  ],
  ['in-process', async () => new InProcessJobQueue(retry, logger)],
];

describe.each(queues)('%s job queue', (_name, makeQueue) => {
  it('runs a job enqueued twice once', async () => {
    const queue = await makeQueue();
    const job = { operationId: `op-${randomBytes(4).toString('hex')}`, correlationId: 'c-1' };
    await queue.enqueue(job);
    const second = await queue.enqueue(job);
    expect(second.queuePosition).toBe(1);
    const { processor, runs, settled } = recordingProcessor(() => {});
    const consumer = queue.process(processor, { concurrency: 2 });
    await settled;
    await consumer.close();
    await queue.close();
    expect(runs).toEqual([job.operationId]);
  });

  it('retries a failing job with backoff, then gives up with the last error', async () => {
    const queue = await makeQueue();
    const job = { operationId: `op-${randomBytes(4).toString('hex')}` };
    const done = recordingProcessor((_job, call) => {
      throw new Error(`transient ${call}`);
    });
    await queue.enqueue(job);
    const consumer = queue.process(done.processor, { concurrency: 1 });
    await until(() => done.givenUp.length === 1);
    await consumer.close();
    await queue.close();
    expect(done.runs).toHaveLength(retry.attempts);
    expect(String(done.givenUp[0]?.error)).toContain(`transient ${retry.attempts}`);
  });

  it('gives up on a permanent failure at once', async () => {
    const queue = await makeQueue();
    const job = { operationId: `op-${randomBytes(4).toString('hex')}` };
    const done = recordingProcessor(() => {
      throw new PermanentJobError('bad config');
    });
    await queue.enqueue(job);
    const consumer = queue.process(done.processor, { concurrency: 1 });
    await until(() => done.givenUp.length === 1);
    await consumer.close();
    await queue.close();
    expect(done.runs).toHaveLength(1);
  });
});

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}
