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
 * first, retried with the same policy as BullMQ. An operation runs as on BullMQ: split, its slices
 * as jobs of their own (sharing the slots), then finish once all have succeeded; a slice that
 * fails for good ends it (the processor has failed the operation). Jobs wait in memory until
 * `process()` is called.
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
      const priority = options.priority ?? DEFAULT_PRIORITY;
      this.#add(job, priority, async (processor) => {
        const split = await this.#withRetries(job, () => processor.split(job));
        if (split === undefined) this.#forget(job);
        else this.#runSlices(job, priority, split.value);
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

  /** Queues the slices, each in a slot of its own (the split's slot is free meanwhile), then the finish. */
  #runSlices(job: ChunkingJob, priority: number, slices: number): void {
    let remaining = slices;
    let failed = false;
    const finish = () =>
      this.#add(job, priority, async (processor) => {
        await this.#withRetries(job, () => processor.finish(job));
        this.#forget(job);
      });
    if (slices === 0) finish();
    for (let slice = 0; slice < slices; slice += 1) {
      this.#add(job, priority, async (processor) => {
        const outcome = await this.#withRetries(job, () => processor.runSlice({ ...job, slice }));
        failed ||= outcome === undefined;
        remaining -= 1;
        if (remaining > 0) return;
        if (failed) this.#forget(job);
        else finish();
      });
    }
  }

  #add(job: ChunkingJob, priority: number, task: (processor: JobProcessor) => Promise<void>): void {
    this.#queue
      .add(
        () => {
          const processor = this.#processor;
          if (!processor) throw new Error('InProcessJobQueue started without a processor');
          return task(processor);
        },
        { priority },
      )
      .catch((error: unknown) => {
        this.#forget(job);
        this.#logger.error({ err: error, operationId: job.operationId }, 'could not record a failed job');
      });
  }

  #forget(job: ChunkingJob): void {
    this.#known.delete(job.operationId);
  }

  /** Runs a step with the retry policy; undefined when the queue gave up on it (and told the processor). */
  async #withRetries<T>(job: ChunkingJob, step: () => Promise<T>): Promise<{ value: T } | undefined> {
    const processor = this.#processor;
    if (!processor) throw new Error('InProcessJobQueue started without a processor');
    for (let attempt = 1; ; attempt += 1) {
      try {
        return { value: await step() };
      } catch (error) {
        if (error instanceof PermanentJobError || attempt >= this.#retry.attempts) {
          await processor.giveUp(job, error);
          return undefined;
        }
        await delay(backoffDelayMs(this.#retry, attempt));
      }
    }
  }
}
