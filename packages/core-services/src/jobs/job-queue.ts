import { z } from 'zod';

/** What travels through the queue: the operation to run and the request that asked for it. */
export const chunkingJobSchema = z.object({
  operationId: z.string().min(1),
  correlationId: z.string().optional(),
});
export type ChunkingJob = z.infer<typeof chunkingJobSchema>;

/** One slice of an operation's plan (0-based): a job of its own, any worker's to take. */
export const sliceJobSchema = chunkingJobSchema.extend({ slice: z.number().int().nonnegative() });
export type SliceJob = z.infer<typeof sliceJobSchema>;

export interface EnqueueOptions {
  /** 1 (lowest) to 10 (highest); default 5. */
  priority?: number | undefined;
}

export interface Enqueued {
  /** Jobs waiting to start, this one included. */
  queuePosition: number;
}

/** Attempts per job and the first retry delay (doubling with every further attempt). */
export interface RetryPolicy {
  attempts: number;
  backoffMs: number;
}

/**
 * Runs an operation in three steps, each an attempt the queue may repeat: `split` starts (or
 * resumes) it and answers how many slice jobs it has; the queue runs every slice (`runSlice`, on
 * any process sharing the queue); once all have succeeded, `finish` ends it. Each throws to be
 * retried while attempts remain, PermanentJobError to stop at once.
 */
export interface JobProcessor {
  split(job: ChunkingJob): Promise<number>;
  runSlice(job: SliceJob): Promise<void>;
  finish(job: ChunkingJob): Promise<void>;
  /** The queue gave up on a job of the operation (permanent error or attempts used up). */
  giveUp(job: ChunkingJob, error: unknown): Promise<void>;
}

export interface ProcessingOptions {
  /** Jobs (slices, mostly) run at once. */
  concurrency: number;
  /** BullMQ only: how long a job's lock lasts without renewal before another worker may take it. */
  lockDurationMs?: number | undefined;
  /** BullMQ only: how often workers look for jobs whose worker died. */
  stalledIntervalMs?: number | undefined;
  /** BullMQ only: recoveries of one job after its worker died before it is failed. */
  maxStalledCount?: number | undefined;
}

export interface JobConsumer {
  /** Stops taking jobs and waits for the running ones. */
  close(): Promise<void>;
}

/**
 * The queue of chunking jobs: BullMQ when Redis is configured (any number of worker processes),
 * an in-process runner otherwise. An operation's job id is its operation's id, so enqueueing twice
 * adds it once; its slices are child jobs that hold it back until they have all succeeded.
 */
export interface JobQueue {
  enqueue(job: ChunkingJob, options?: EnqueueOptions): Promise<Enqueued>;
  process(processor: JobProcessor, options: ProcessingOptions): JobConsumer;
  /** Jobs waiting to run (the backlog an alert watches), across every process sharing the queue. */
  waiting(): Promise<number>;
  close(): Promise<void>;
}

/** A failure that retrying cannot fix (bad config, invalid job data): the job fails at once. */
export class PermanentJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentJobError';
  }
}

export const DEFAULT_PRIORITY = 5;
export const MAX_PRIORITY = 10;

/** Delay before retry number `retry` (1-based): exponential, like BullMQ's exponential backoff. */
export function backoffDelayMs(policy: RetryPolicy, retry: number): number {
  return policy.backoffMs * 2 ** (retry - 1);
}
