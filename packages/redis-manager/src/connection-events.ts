import type { RedisLogger } from './logger.ts';
import type { ClientRole, RedisClient } from './roles.ts';

/** Logs a client's lifecycle, so an outage and its recovery are visible per role. */
export function logConnectionEvents(
  client: RedisClient,
  role: ClientRole,
  redis: string,
  logger: RedisLogger,
): void {
  const context = { role, redis };
  client.on('connect', () => logger.info(context, 'redis connected'));
  client.on('ready', () => logger.info(context, 'redis ready'));
  // Without an 'error' listener ioredis prints every reconnect failure to the console itself.
  client.on('error', (error: Error) => logger.error({ ...context, err: error }, 'redis connection error'));
  client.on('close', () => logger.info(context, 'redis connection closed'));
  client.on('reconnecting', (delayMs: number) => logger.warn({ ...context, delayMs }, 'redis reconnecting'));
  client.on('end', () => logger.info(context, 'redis connection ended'));
}
