import { createLogger, openServerGraph, type Services, type Settings } from '@chunkflow/core-services';
import type { Logger } from 'pino';
import { closeHttp, closeStep } from './close-steps.ts';
import { buildHttpServer } from './http/server.ts';
import { migrationsProbe } from './observability/readiness.ts';

export const API_VERSION = '3.1.0';

export interface RunningApp {
  url: string;
  /** Set on first start without BOOTSTRAP_API_KEY: the new key of tenant `default`, shown once. */
  createdApiKey: string | undefined;
  services: Services;
  close(): Promise<void>;
}

/** The server's graph (core-services' composition) behind HTTP. Used by `pnpm start` and by the tests alike. */
export async function startApp(
  settings: Settings,
  logger: Logger = createLogger(settings.observability.logLevel),
): Promise<RunningApp> {
  const graph = await openServerGraph(settings, logger, (database) => [migrationsProbe(database)]);
  const closeGraph = async () => {
    for (const step of graph.closeSteps) await closeStep(logger, step.name, step.close);
  };
  try {
    const { services } = graph;
    const { createdKey } = await services.auth.ensureBootstrapKey(settings.access.bootstrapApiKey);
    const { http } = settings;
    const server = buildHttpServer({
      services,
      logger,
      bodyLimitBytes: http.bodyLimitBytes,
      metricsToken: settings.observability.metricsToken,
      maxBatchSize: http.maxBatchSize,
      version: API_VERSION,
      timeouts: {
        headersMs: http.headersTimeoutMs,
        requestMs: http.requestTimeoutMs,
        connectionIdleMs: http.connectionTimeoutMs,
        keepAliveMs: http.keepAliveTimeoutMs,
      },
      trustedProxies: settings.access.trustedProxies,
      uploadPace: {
        idleTimeoutMs: settings.uploads.idleTimeoutMs,
        minBytesPerSecond: settings.uploads.minBytesPerSecond,
      },
    });
    const url = await server.listen({ port: http.port, host: http.host });
    logger.info({ url, backends: graph.backends.description }, 'chunkflow server listening');
    return {
      url,
      createdApiKey: createdKey,
      services,
      async close() {
        // Half the shutdown budget for requests in flight; the other half for the rest.
        await closeStep(logger, 'http', () => closeHttp(server, http.shutdownTimeoutMs / 2));
        await closeGraph();
      },
    };
  } catch (error) {
    await closeGraph();
    throw error;
  }
}
