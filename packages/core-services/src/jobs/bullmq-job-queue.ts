import type { RedisManager } from '@chunkflow/redis-manager';
import { type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
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
} from './job-queue.ts';

const QUEUE_NAME = 'chunking';
const DAY_SECONDS = 24 * 60 * 60;

/** JobQueue on BullMQ: producers in the servers, `process()` in apps/worker processes. */
export class BullmqJobQueue implements JobQueue {
  readonly #redis: RedisManager;
  readonly #retry: RetryPolicy;
  readonly #logger: Logger;
  readonly #queue: Queue<ChunkingJob>;

  constructor(redis: RedisManager, retry: RetryPolicy, logger: Logger) {
    this.#redis = redis;
    this.#retry = retry;
    this.#logger = logger;
    this.#queue = new Queue<ChunkingJob>(QUEUE_NAME, redis.bullmqQueue());
    this.#queue.on('error', (error) => logger.error({ err: error }, 'job queue error'));
  }

  async enqueue(job: ChunkingJob, options: EnqueueOptions = {}): Promise<Enqueued> {
    await this.#queue.add(QUEUE_NAME, job, {
      // Same id, same job: BullMQ ignores an add whose id it already holds.
      jobId: job.operationId,
      // BullMQ runs lower numbers first and unprioritised jobs before all others: always set one.
      priority: MAX_PRIORITY + 1 - (options.priority ?? DEFAULT_PRIORITY),
      attempts: this.#retry.attempts,
      backoff: { type: 'exponential', delay: this.#retry.backoffMs },
      removeOnComplete: { age: DAY_SECONDS, count: 10_000 },
      removeOnFail: { age: 7 * DAY_SECONDS },
    });
    return { queuePosition: await this.waiting() };
  }

  async waiting(): Promise<number> {
    const counts = await this.#queue.getJobCounts('wait', 'prioritized', 'delayed');
    return Object.values(counts).reduce((sum, count) => sum + count, 0);
  }

  process(processor: JobProcessor, options: ProcessingOptions): JobConsumer {
    const worker = new Worker<ChunkingJob>(QUEUE_NAME, (job) => runAttempt(processor, job), {
      ...this.#redis.bullmqWorker(),
      concurrency: options.concurrency,
      ...(options.lockDurationMs === undefined ? {} : { lockDuration: options.lockDurationMs }),
      ...(options.stalledIntervalMs === undefined ? {} : { stalledInterval: options.stalledIntervalMs }),
      ...(options.maxStalledCount === undefined ? {} : { maxStalledCount: options.maxStalledCount }),
    });
    worker.on('error', (error) => this.#logger.error({ err: error }, 'job worker error'));
    worker.on('stalled', (jobId) => this.#logger.warn({ operationId: jobId }, 'job stalled; requeued'));
    worker.on('failed', (job, error) => {
      if (!job || !isFinalFailure(job, error)) return;
      processor.giveUp(job.data, error).catch((failure: unknown) => {
        this.#logger.error({ err: failure, operationId: job.id }, 'could not record a failed job');
      });
    });
    return { close: () => worker.close() };
  }

  async close(): Promise<void> {
    await this.#queue.close();
  }
}

async function runAttempt(processor: JobProcessor, job: Job<ChunkingJob>): Promise<void> {
  const parsed = chunkingJobSchema.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`Invalid job data: ${parsed.error.message}`);
  try {
    await processor.run(parsed.data);
  } catch (error) {
    if (error instanceof PermanentJobError) throw new UnrecoverableError(error.message);
    throw error;
  }
}

function isFinalFailure(job: Job<ChunkingJob>, error: Error): boolean {
  return error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
}
