import {
  backendDependencies,
  backendOptionsFrom,
  createLogger,
  createServices,
  limitSettingsFrom,
  openBackends,
  rateLimiterFor,
  type Services,
  WorkerPoolExecutor,
} from '@chunkflow/core-services';
import type { Logger } from 'pino';
import { closeHttp, closeStep } from './close-steps.ts';
import type { ServerConfig } from './config.ts';
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

/** Composition root: backends → services → HTTP. Used by `pnpm start` and by the tests alike. */
export async function startApp(
  config: ServerConfig,
  logger: Logger = createLogger(config.LOG_LEVEL),
): Promise<RunningApp> {
  const backends = await openBackends(backendOptionsFrom(config, logger));
  const executor = new WorkerPoolExecutor({
    maxThreads: config.CHUNKING_THREADS,
    offloadThresholdChars: config.CHUNKING_OFFLOAD_CHARS,
  });
  // Embedded operations chunk on threads of their own: never on this event loop, and never
  // holding the threads previews wait for.
  const operationExecutor = new WorkerPoolExecutor({
    maxThreads: config.EMBEDDED_JOB_CONCURRENCY,
    offloadThresholdChars: 0,
  });
  try {
    const { applied } = await backends.database.migrate();
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
    const services = createServices({
      ...backendDependencies(backends, logger),
      probes: [...backends.probes, migrationsProbe(backends.database)],
      rateLimiter: rateLimiterFor(backends.redis),
      limitSettings: limitSettingsFrom(config),
      executor,
      operationExecutor,
      embedderPolicy: { allowedBaseUrls: config.EMBEDDER_ALLOWED_URLS },
      limits: {
        previewLocalCacheBytes: Math.round(config.PREVIEW_LOCAL_CACHE_MB * 2 ** 20),
        previewCacheMaxEntryBytes: Math.round(config.PREVIEW_CACHE_MAX_ENTRY_MB * 2 ** 20),
        requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
      },
      workflowLimits: {
        uploadMemoryBytes: Math.round(config.UPLOAD_MEMORY_MB * 2 ** 20),
        acquireTimeoutMs: config.UPLOAD_WAIT_MS,
        jobTimeoutMs: config.JOB_TIMEOUT_MS,
      },
    });
    // Without Redis there are no worker processes: operations run here.
    const jobConsumer = backends.redis
      ? undefined
      : backends.jobs.process(services.operationProcessor, { concurrency: config.EMBEDDED_JOB_CONCURRENCY });
    // The in-process queue starts empty: operations a previous run left unfinished are queued again.
    if (jobConsumer) await services.operations.requeueUnfinished();
    const { createdKey } = await services.auth.ensureBootstrapKey(config.BOOTSTRAP_API_KEY);
    const http = buildHttpServer({
      services,
      logger,
      bodyLimitBytes: config.BODY_LIMIT_BYTES,
      metricsToken: config.METRICS_TOKEN,
      maxBatchSize: config.MAX_BATCH_SIZE,
      version: API_VERSION,
      timeouts: {
        headersMs: config.HTTP_HEADERS_TIMEOUT_MS,
        requestMs: config.HTTP_REQUEST_TIMEOUT_MS,
        connectionIdleMs: config.HTTP_CONNECTION_TIMEOUT_MS,
        keepAliveMs: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      },
      trustedProxies: config.TRUST_PROXY,
      uploadPace: {
        idleTimeoutMs: config.UPLOAD_IDLE_TIMEOUT_MS,
        minBytesPerSecond: config.UPLOAD_MIN_BYTES_PER_SECOND,
      },
    });
    const url = await http.listen({ port: config.PORT, host: config.HOST });
    logger.info({ url, backends: backends.description }, 'chunkflow server listening');
    return {
      url,
      createdApiKey: createdKey,
      services,
      async close() {
        // Half the shutdown budget for requests in flight; the other half for the rest.
        await closeStep(logger, 'http', () => closeHttp(http, config.SHUTDOWN_TIMEOUT_MS / 2));
        await closeStep(logger, 'job consumer', async () => jobConsumer?.close());
        await closeStep(logger, 'chunking threads', () =>
          Promise.all([executor.close(), operationExecutor.close()]),
        );
        await closeStep(logger, 'backends', () => backends.close());
      },
    };
  } catch (error) {
    await Promise.all([executor.close(), operationExecutor.close()]);
    await backends.close();
    throw error;
  }
}
