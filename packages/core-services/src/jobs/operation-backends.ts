import type { RedisManager } from '@chunkflow/redis-manager';
import { MemoryPubSub, RedisPubSub } from '@chunkflow/redis-manager';
import type { Logger } from '../ports.ts';
import { MemoryEventLog } from '../progress/memory-event-log.ts';
import { DEFAULT_PROGRESS_LIMITS, ProgressStream } from '../progress/progress-stream.ts';
import { RedisEventLog } from '../progress/redis-event-log.ts';
import { BullmqJobQueue } from './bullmq-job-queue.ts';
import { InProcessJobQueue } from './in-process-job-queue.ts';
import type { JobQueue, RetryPolicy } from './job-queue.ts';

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 3, backoffMs: 1000 };

export interface OperationBackends {
  jobs: JobQueue;
  progress: ProgressStream;
}

/** The job queue and progress stream: on Redis (shared by every process) or in this process. */
export function openOperationBackends(
  redis: RedisManager | undefined,
  logger: Logger,
  {
    retry = DEFAULT_RETRY_POLICY,
    progressIdleCheckMs = DEFAULT_PROGRESS_LIMITS.idleCheckMs,
  }: { retry?: RetryPolicy | undefined; progressIdleCheckMs?: number | undefined } = {},
): OperationBackends {
  const following = { idleCheckMs: progressIdleCheckMs };
  if (!redis) {
    return {
      jobs: new InProcessJobQueue(retry, logger),
      progress: new ProgressStream(
        new MemoryEventLog(DEFAULT_PROGRESS_LIMITS),
        new MemoryPubSub({ logger }),
        following,
      ),
    };
  }
  return {
    jobs: new BullmqJobQueue(redis, retry, logger),
    progress: new ProgressStream(
      new RedisEventLog(redis, DEFAULT_PROGRESS_LIMITS),
      new RedisPubSub(redis, { logger }),
      following,
    ),
  };
}
