import {
  AuthService,
  type BackendEnvironment,
  backendOptionsFrom,
  type Logger,
  openBackends,
} from '@chunkflow/core-services';

/**
 * Runs `use` on the API keys of the database `environment` names (migrated first), then closes it:
 * what the keys CLI does, for whoever manages keys outside a running server.
 */
export async function withApiKeys<T>(
  environment: BackendEnvironment,
  logger: Logger,
  use: (auth: AuthService) => Promise<T>,
): Promise<T> {
  // Keys live in the database only: Redis is never needed.
  const backends = await openBackends({ ...backendOptionsFrom(environment, logger), redisUrl: undefined });
  try {
    await backends.database.migrate();
    return await use(new AuthService(backends.database, logger));
  } finally {
    await backends.close();
  }
}
