import { AuthService, type Logger, openBackends, type Settings } from '@chunkflow/core-services';

/**
 * Runs `use` on the API keys of the database `settings` name (migrated first), then closes it:
 * what the keys CLI does, for whoever manages keys outside a running server.
 */
export async function withApiKeys<T>(
  settings: Settings,
  logger: Logger,
  use: (auth: AuthService) => Promise<T>,
): Promise<T> {
  // Keys live in the database only: Redis is never needed.
  const backends = await openBackends(
    { ...settings, storage: { ...settings.storage, redisUrl: undefined } },
    logger,
  );
  try {
    await backends.database.migrate();
    return await use(new AuthService(backends.database, logger));
  } finally {
    await backends.close();
  }
}
