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
  type SliceJob,
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

/**
 * Splits each operation into `slices` slices, runs each step through `attempt` (which may throw)
 * and records what the queue did: `runs` the splits, `steps` every step in the order it ran.
 */
function recordingProcessor(attempt: (job: ChunkingJob | SliceJob, call: number) => void, slices = 0) {
  const runs: string[] = [];
  const steps: string[] = [];
  const givenUp: { operationId: string; error: unknown }[] = [];
  let settle: () => void = () => {};
  const settled = new Promise<void>((resolve) => {
    settle = resolve;
  });
  const step = (job: ChunkingJob | SliceJob, name: string) => {
    steps.push(name);
    attempt(job, steps.filter((done) => done === name).length);
  };
  const processor: JobProcessor = {
    async split(job) {
      runs.push(job.operationId);
      step(job, 'split');
      return slices;
    },
    async runSlice(job) {
      step(job, `slice ${job.slice}`);
    },
    async finish(job) {
      step(job, 'finish');
      settle();
    },
    async giveUp(job, error) {
      givenUp.push({ operationId: job.operationId, error });
      settle();
    },
  };
  return { processor, runs, steps, givenUp, settled };
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

  it('runs every slice of an operation once, as jobs of their own, then finishes it', async () => {
    const queue = await makeQueue();
    const job = { operationId: `op-${randomBytes(4).toString('hex')}` };
    const done = recordingProcessor(() => {}, 3);
    await queue.enqueue(job);
    const consumer = queue.process(done.processor, { concurrency: 2 });
    await done.settled;
    await consumer.close();
    await queue.close();
    expect(done.steps[0]).toBe('split');
    expect(done.steps.slice(1, 4).sort()).toEqual(['slice 0', 'slice 1', 'slice 2']);
    expect(done.steps.slice(4)).toEqual(['finish']);
  });

  it('retries a failing slice alone, and never finishes an operation a slice failed for good', async () => {
    const queue = await makeQueue();
    const job = { operationId: `op-${randomBytes(4).toString('hex')}` };
    const done = recordingProcessor((failing, call) => {
      if ('slice' in failing && failing.slice === 1 && call < retry.attempts)
        throw new Error(`transient ${call}`);
      if ('slice' in failing && failing.slice === 1) throw new PermanentJobError('bad slice');
    }, 2);
    await queue.enqueue(job);
    const consumer = queue.process(done.processor, { concurrency: 1 });
    await until(() => done.givenUp.length >= 1);
    // Long enough for a finish that should not come to have come.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await consumer.close();
    await queue.close();
    expect(done.steps.filter((step) => step === 'split')).toHaveLength(1);
    expect(done.steps.filter((step) => step === 'slice 0')).toHaveLength(1);
    expect(done.steps.filter((step) => step === 'slice 1')).toHaveLength(retry.attempts);
    expect(done.steps).not.toContain('finish');
    // Given up once, with the slice's error (not with the parent BullMQ fails after its child).
    expect(done.givenUp).toHaveLength(1);
    expect(done.givenUp[0]?.operationId).toBe(job.operationId);
    expect(String(done.givenUp[0]?.error)).toContain('bad slice');
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
