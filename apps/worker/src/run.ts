import { createLogger, redisRoleUrls, settingsFrom } from '@chunkflow/core-services';
import { runBelowServing } from './priority.ts';
import { startWorker } from './worker.ts';

/** Exit status when the environment cannot run a worker (sysexits' EX_CONFIG). */
export const EXIT_CONFIG = 78;

/**
 * The worker process: runs chunking operations from the shared queue until SIGTERM or SIGINT, then
 * finishes or hands back its jobs and exits. `node dist/main.js` and `chunkflow worker` both run it.
 */
export async function runWorker(environment: NodeJS.ProcessEnv = process.env): Promise<void> {
  const settings = settingsFrom(environment);
  // Every line logged while a job runs carries the correlation id of the request that applied it.
  const logger = createLogger(settings.observability.logLevel, {
    base: { process: 'worker', pid: process.pid },
    format: settings.observability.logFormat,
  });

  if (redisRoleUrls(settings.storage) === undefined) {
    // Without Redis there is no shared queue: the server runs operations in its own process.
    logger.error(
      'REDIS_URL is not set: in embedded mode operations run inside the server; no worker is needed',
    );
    process.exit(EXIT_CONFIG);
  }

  // Before the chunking threads start, so that they inherit it.
  const niceness = runBelowServing(settings.worker.niceness);
  if (niceness < settings.worker.niceness)
    logger.warn({ niceness }, 'worker runs at the priority it was given: lowering it was refused');
  const worker = await startWorker(settings, logger);

  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'worker stopping');
      worker.close().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'worker did not stop cleanly');
          process.exit(1);
        },
      );
    });
  }
}
