import { setTimeout as delay } from 'node:timers/promises';
import PQueue from 'p-queue';
import type { Logger } from '../ports.ts';
import {
  backoffDelayMs,
  type ChunkingJob,
  DEFAULT_PRIORITY,
  type Enqueued,
  type EnqueueOptions,
  type JobConsumer,
  type JobProcessor,
  type JobQueue,
  PermanentJobError,
  type ProcessingOptions,
  type RetryPolicy,
} from './job-queue.ts';

/**
 * JobQueue for embedded mode: jobs run in this process with bounded concurrency, highest priority
 * first, retried with the same policy as BullMQ. Jobs wait in memory until `process()` is called.
 */
export class InProcessJobQueue implements JobQueue {
  readonly #retry: RetryPolicy;
  readonly #logger: Logger;
  readonly #queue = new PQueue({ autoStart: false });
  /** Operations queued or running: a second enqueue of one of them is a no-op. */
  readonly #known = new Set<string>();
  #processor: JobProcessor | undefined;

  constructor(retry: RetryPolicy, logger: Logger) {
    this.#retry = retry;
    this.#logger = logger;
  }

  async enqueue(job: ChunkingJob, options: EnqueueOptions = {}): Promise<Enqueued> {
    if (!this.#known.has(job.operationId)) {
      this.#known.add(job.operationId);
      this.#queue
        .add(() => this.#runWithRetries(job), { priority: options.priority ?? DEFAULT_PRIORITY })
        .catch((error: unknown) => {
          this.#logger.error({ err: error, operationId: job.operationId }, 'could not record a failed job');
        });
    }
    return { queuePosition: this.#queue.size };
  }

  process(processor: JobProcessor, options: ProcessingOptions): JobConsumer {
    this.#processor = processor;
    this.#queue.concurrency = options.concurrency;
    this.#queue.start();
    return {
      close: async () => {
        this.#queue.pause();
        await this.#queue.onPendingZero();
      },
    };
  }

  async waiting(): Promise<number> {
    return this.#queue.size;
  }

  async close(): Promise<void> {
    this.#queue.pause();
    this.#queue.clear();
  }

  async #runWithRetries(job: ChunkingJob): Promise<void> {
    const processor = this.#processor;
    if (!processor) throw new Error('InProcessJobQueue started without a processor');
    try {
      for (let attempt = 1; ; attempt += 1) {
        try {
          await processor.run(job);
          return;
        } catch (error) {
          if (error instanceof PermanentJobError || attempt >= this.#retry.attempts) {
            await processor.giveUp(job, error);
            return;
          }
          await delay(backoffDelayMs(this.#retry, attempt));
        }
      }
    } finally {
      this.#known.delete(job.operationId);
    }
  }
}
