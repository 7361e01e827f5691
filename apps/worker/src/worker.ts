import { setTimeout as delay } from 'node:timers/promises';
import { openWorkerGraph, type Settings } from '@chunkflow/core-services';
import type { Logger } from 'pino';
import { serveMetrics } from './metrics-endpoint.ts';

export interface RunningWorker {
  /** Stops taking jobs, lets running ones finish (up to the shutdown timeout), disconnects. */
  close(): Promise<void>;
}

/**
 * A worker process: takes chunking operations and their slices from the shared BullMQ queue and
 * runs them, several at once. A job whose worker died (crash, SIGKILL) is picked up again by any
 * worker once its lock lapses; a slice resumes after its last written batch.
 */
export async function startWorker(settings: Settings, logger: Logger): Promise<RunningWorker> {
  const graph = await openWorkerGraph(settings, logger);
  const { worker } = settings;
  try {
    const metricsEndpoint =
      worker.metricsPort === undefined
        ? undefined
        : await serveMetrics(graph.metrics, worker.metricsPort, settings.observability.metricsToken);
    logger.info(
      {
        concurrency: worker.concurrency,
        backends: graph.backends.description,
        ...(metricsEndpoint ? { metricsPort: metricsEndpoint.port } : {}),
      },
      'worker started',
    );
    return {
      async close() {
        await metricsEndpoint?.close();
        const finished = await Promise.race([
          graph.consumer.close().then(() => true),
          delay(worker.shutdownTimeoutMs, false),
        ]);
        if (!finished)
          logger.warn('running operations did not finish in time; another worker will resume them');
        await graph.close();
      },
    };
  } catch (error) {
    await graph.consumer.close();
    await graph.close();
    throw error;
  }
}
