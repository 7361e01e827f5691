import { setTimeout as delay } from 'node:timers/promises';
import {
  backendDependencies,
  backendOptionsFrom,
  createServices,
  openBackends,
  WorkerPoolExecutor,
} from '@chunkflow/core-services';
import type { Logger } from 'pino';
import type { WorkerConfig } from './config.ts';
import { serveMetrics } from './metrics-endpoint.ts';

export interface RunningWorker {
  /** Stops taking jobs, lets running ones finish (up to the shutdown timeout), disconnects. */
  close(): Promise<void>;
}

/**
 * A worker process: takes chunking operations from the shared BullMQ queue and runs them, several
 * at once. A job whose worker died (crash, SIGKILL) is picked up again by any worker once its lock
 * lapses, and resumes at its first unfinished document.
 */
export async function startWorker(
  config: WorkerConfig & { REDIS_URL: string },
  logger: Logger,
): Promise<RunningWorker> {
  const backends = await openBackends(backendOptionsFrom(config, logger));
  // Chunking runs on threads, one per concurrent operation: this event loop stays free to renew
  // the jobs' BullMQ locks, so a long document never lets another worker take its job over.
  const executor = new WorkerPoolExecutor({
    maxThreads: config.WORKER_CONCURRENCY,
    offloadThresholdChars: 0,
  });
  try {
    // Idempotent and serialised by the runner: whichever process starts first prepares the schema.
    await backends.database.migrate();
    const services = createServices({
      ...backendDependencies(backends, logger),
      operationExecutor: executor,
      embedderPolicy: { allowedBaseUrls: config.EMBEDDER_ALLOWED_URLS },
      workflowLimits: { jobTimeoutMs: config.JOB_TIMEOUT_MS },
    });
    // Chunk sets that writers which died left unfinished (their operations ended since).
    await services.operationProcessor.discardAbandonedChunkSets();
    const consumer = backends.jobs.process(services.operationProcessor, {
      concurrency: config.WORKER_CONCURRENCY,
      lockDurationMs: config.WORKER_LOCK_DURATION_MS,
      stalledIntervalMs: config.WORKER_STALLED_INTERVAL_MS,
      maxStalledCount: config.WORKER_MAX_STALLED_COUNT,
    });
    const metricsEndpoint =
      config.WORKER_METRICS_PORT === undefined
        ? undefined
        : await serveMetrics(services.metrics, config.WORKER_METRICS_PORT, config.METRICS_TOKEN);
    logger.info(
      {
        concurrency: config.WORKER_CONCURRENCY,
        backends: backends.description,
        ...(metricsEndpoint ? { metricsPort: metricsEndpoint.port } : {}),
      },
      'worker started',
    );
    return {
      async close() {
        await metricsEndpoint?.close();
        const finished = await Promise.race([
          consumer.close().then(() => true),
          delay(config.WORKER_SHUTDOWN_TIMEOUT_MS, false),
        ]);
        if (!finished)
          logger.warn('running operations did not finish in time; another worker will resume them');
        await executor.close();
        await backends.close();
      },
    };
  } catch (error) {
    await executor.close();
    await backends.close();
    throw error;
  }
}
