import { backendEnvironmentSchema, openBackends } from '@chunkflow/core-services';
import pino from 'pino';

const config = backendEnvironmentSchema.parse(process.env);
const logger = pino({ level: config.LOG_LEVEL, base: { process: 'worker' } });

if (!config.REDIS_URL) {
  // Without Redis there is no shared queue: the server runs operations in its own process.
  logger.error(
    'REDIS_URL is not set: in embedded mode operations run inside the server; no worker is needed',
  );
  process.exit(78);
}

const backends = await openBackends({
  databaseUrl: config.DATABASE_URL,
  redisUrl: config.REDIS_URL,
  dataDir: config.CHUNKFLOW_DATA_DIR,
  keyPrefix: config.CHUNKFLOW_KEY_PREFIX,
  logger,
});
const [database, redis] = await Promise.all([backends.database.ping(), backends.redis?.ping()]);
logger.info({ database, redis, backends: backends.description }, 'worker connected and idle');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    logger.info({ signal }, 'worker stopping');
    backends.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
