import type { RedisManager } from '@chunkflow/redis-manager';
import { type Job, type JobsOptions, Queue, UnrecoverableError, WaitingChildrenError, Worker } from 'bullmq';
import type { z } from 'zod';
import type { Logger } from '../ports.ts';
import {
  type ChunkingJob,
  chunkingJobSchema,
  DEFAULT_PRIORITY,
  type Enqueued,
  type EnqueueOptions,
  type JobConsumer,
  type JobProcessor,
  type JobQueue,
  MAX_PRIORITY,
  PermanentJobError,
  type ProcessingOptions,
  type RetryPolicy,
  sliceJobSchema,
} from './job-queue.ts';

const QUEUE_NAME = 'chunking';
/** The name of an operation's slice jobs (its own job is named like the queue). */
const SLICE_JOB = 'slice';
const DAY_SECONDS = 24 * 60 * 60;

/** An operation job's data, with how far its steps got (kept in the job, so a retry goes on from there). */
type QueuedJob = ChunkingJob & { slice?: number; step?: 'slices-queued' };

/** JobQueue on BullMQ: producers in the servers, `process()` in apps/worker processes. */
export class BullmqJobQueue implements JobQueue {
  readonly #redis: RedisManager;
  readonly #retry: RetryPolicy;
  readonly #logger: Logger;
  readonly #queue: Queue<QueuedJob>;

  constructor(redis: RedisManager, retry: RetryPolicy, logger: Logger) {
    this.#redis = redis;
    this.#retry = retry;
    this.#logger = logger;
    this.#queue = new Queue<QueuedJob>(QUEUE_NAME, redis.bullmqQueue());
    this.#queue.on('error', (error) => logger.error({ err: error }, 'job queue error'));
  }

  async enqueue(job: ChunkingJob, options: EnqueueOptions = {}): Promise<Enqueued> {
    await this.#queue.add(QUEUE_NAME, job, {
      // Same id, same job: BullMQ ignores an add whose id it already holds.
      jobId: job.operationId,
      // BullMQ runs lower numbers first and unprioritised jobs before all others: always set one.
      priority: MAX_PRIORITY + 1 - (options.priority ?? DEFAULT_PRIORITY),
      ...this.#attemptOptions(),
    });
    return { queuePosition: await this.waiting() };
  }

  #attemptOptions(): JobsOptions {
    return {
      attempts: this.#retry.attempts,
      backoff: { type: 'exponential', delay: this.#retry.backoffMs },
      removeOnComplete: { age: DAY_SECONDS, count: 10_000 },
      removeOnFail: { age: 7 * DAY_SECONDS },
    };
  }

  /**
   * BullMQ's step pattern with child jobs: the operation's job splits it and queues one child job
   * per slice, then waits in `waiting-children` (holding no worker) until every child has
   * succeeded, when it runs again to finish. A child that fails for good fails the parent with it.
   */
  async #runAttempt(processor: JobProcessor, job: Job<QueuedJob>, token: string | undefined): Promise<void> {
    if (job.name === SLICE_JOB) {
      await processor.runSlice(parsed(sliceJobSchema, job.data));
      return;
    }
    const data = parsed(chunkingJobSchema, job.data);
    if (job.data.step !== 'slices-queued') {
      const slices = await processor.split(data);
      // Ids derived from the slice: queueing again after a crash adds nothing twice.
      await this.#queue.addBulk(
        Array.from({ length: slices }, (_, slice) => ({
          name: SLICE_JOB,
          data: { ...data, slice },
          opts: {
            jobId: `${data.operationId}-slice-${slice}`,
            parent: { id: job.id ?? data.operationId, queue: job.queueQualifiedName },
            failParentOnFailure: true,
            ...(job.opts.priority === undefined ? {} : { priority: job.opts.priority }),
            ...this.#attemptOptions(),
          },
        })),
      );
      await job.updateData({ ...job.data, step: 'slices-queued' });
    }
    if (token !== undefined && (await job.moveToWaitingChildren(token))) throw new WaitingChildrenError();
    await processor.finish(data);
  }

  async waiting(): Promise<number> {
    const counts = await this.#queue.getJobCounts('wait', 'prioritized', 'delayed');
    return Object.values(counts).reduce((sum, count) => sum + count, 0);
  }

  process(processor: JobProcessor, options: ProcessingOptions): JobConsumer {
    const worker = new Worker<QueuedJob>(
      QUEUE_NAME,
      (job, token) => attempt(this.#runAttempt(processor, job, token)),
      {
        ...this.#redis.bullmqWorker(),
        concurrency: options.concurrency,
        ...(options.lockDurationMs === undefined ? {} : { lockDuration: options.lockDurationMs }),
        ...(options.stalledIntervalMs === undefined ? {} : { stalledInterval: options.stalledIntervalMs }),
        ...(options.maxStalledCount === undefined ? {} : { maxStalledCount: options.maxStalledCount }),
      },
    );
    worker.on('error', (error) => this.#logger.error({ err: error }, 'job worker error'));
    worker.on('stalled', (jobId) => this.#logger.warn({ operationId: jobId }, 'job stalled; requeued'));
    worker.on('failed', (job, error) => {
      if (!job || !isFinalFailure(job, error)) return;
      this.#giveUp(processor, job, error).catch((failure: unknown) => {
        this.#logger.error({ err: failure, operationId: job.id }, 'could not record a failed job');
      });
    });
    return { close: () => worker.close() };
  }

  async close(): Promise<void> {
    await this.#queue.close();
  }

  /**
   * Tells the processor a job's operation cannot go on. An operation's job failed because a slice
   * of it failed for good (BullMQ fails the parent of such a child) is left alone: the slice's own
   * failure already gave the operation up, with its cause rather than BullMQ's "child … failed".
   */
  async #giveUp(processor: JobProcessor, job: Job<QueuedJob>, error: Error): Promise<void> {
    if (job.name !== SLICE_JOB) {
      const { failed = 0 } = await job.getDependenciesCount({ failed: true }).catch(() => ({ failed: 0 }));
      if (failed > 0) return;
    }
    await processor.giveUp(parsed(chunkingJobSchema, job.data), error);
  }
}

function parsed<Schema extends z.ZodType>(schema: Schema, data: unknown): z.infer<Schema> {
  const result = schema.safeParse(data);
  if (!result.success) throw new UnrecoverableError(`Invalid job data: ${result.error.message}`);
  return result.data;
}

/** A permanent failure of the processor fails the job without retries. */
async function attempt(running: Promise<void>): Promise<void> {
  try {
    await running;
  } catch (error) {
    if (error instanceof PermanentJobError) throw new UnrecoverableError(error.message);
    throw error;
  }
}

function isFinalFailure(job: Job<QueuedJob>, error: Error): boolean {
  return error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
}
