import { createLogger, redisRoleUrls, settingsFrom } from '@chunkflow/core-services';
import { startWorker } from './worker.ts';

const settings = settingsFrom(process.env);
// Every line logged while a job runs carries the correlation id of the request that applied it.
const logger = createLogger(settings.observability.logLevel, {
  base: { process: 'worker', pid: process.pid },
});

if (redisRoleUrls(settings.storage) === undefined) {
  // Without Redis there is no shared queue: the server runs operations in its own process.
  logger.error(
    'REDIS_URL is not set: in embedded mode operations run inside the server; no worker is needed',
  );
  process.exit(78);
}

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
