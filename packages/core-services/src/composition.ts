import { preloadDefaultEncoding, useTokenizerSource } from '@chunkflow/chunkers';
import type { Database } from '@chunkflow/db';
import { MemoryPool } from '@chunkflow/mempool';
import {
  type KeyValueCache,
  MemoryRateLimiter,
  type PubSub,
  type RateLimiter,
  RedisManager,
} from '@chunkflow/redis-manager';
import { announcementsChannel } from './announcements.ts';
import { AuthService } from './auth/auth-service.ts';
import { KeyAdminService } from './auth/key-admin.ts';
import { KeyLookups } from './auth/key-lookups.ts';
import { type Backends, openBackends } from './backends.ts';
import { ChunkingService, type ComputedPreview, previewJsonBytes } from './chunking/chunking-service.ts';
import { ConfigBuilder } from './chunking/config-builder.ts';
import { DocumentSource } from './chunking/document-source.ts';
import { type ChunkingExecutor, InlineExecutor } from './chunking/executor.ts';
import { WorkerPoolExecutor } from './chunking/pool-executor.ts';
import { PreviewCache } from './chunking/preview-cache.ts';
import { previewJson } from './chunking/preview-json.ts';
import { tokenizerFolder } from './chunking/tokenizer-folder.ts';
import { CollectionService } from './collections/collection-service.ts';
import { ThreadConverter } from './conversion/conversion-threads.ts';
import { conversionLimitsOf, type DocumentConverter, InlineConverter } from './conversion/converter.ts';
import { RequestBudget } from './deadlines/request-budget.ts';
import { ChunkService } from './documents/chunk-service.ts';
import { DocumentService } from './documents/document-service.ts';
import { exceptionTranslator } from './errors.ts';
import { type DependencyProbe, HealthService } from './health/health-service.ts';
import type { JobConsumer, JobQueue } from './jobs/job-queue.ts';
import { createRequestQuotas, type RequestQuotas, rateLimiterFor } from './limits/request-quotas.ts';
import { ServiceMetrics } from './metrics/service-metrics.ts';
import { observeDatabase, observeOperations, observePreviewCache } from './metrics/sources.ts';
import { OperationLifecycle } from './operations/operation-lifecycle.ts';
import { OperationProcessor } from './operations/operation-processor.ts';
import { OperationService } from './operations/operation-service.ts';
import type { Logger } from './ports.ts';
import { PresetService } from './presets/preset-service.ts';
import type { ProgressStream } from './progress/progress-stream.ts';
import { redisRoleUrls } from './settings/redis-urls.ts';
import type { Settings } from './settings/settings.ts';
import { StatisticsService } from './statistics/statistics-service.ts';

/**
 * The one composition root. `openServerGraph` and `openWorkerGraph` open a process's backends and
 * wire what it runs from its settings; `createServerServices` is the server's wiring over backends
 * already open (what tests build on an embedded database).
 */

/** What services are built on: open backends, and the settings that bound them. */
export interface ServiceDependencies {
  settings: Settings;
  database: Database;
  cache: KeyValueCache;
  jobs: JobQueue;
  progress: ProgressStream;
  logger: Logger;
  /** Readiness probes beyond the database's (Redis, migrations). */
  probes?: DependencyProbe[];
  /** Remembered API key lookups and their revocations channel; every lookup asks the database when not given. */
  keyLookups?: KeyLookups;
  /** What every process must hear at once (deleted previews); each process checks the store instead when not given. */
  announcements?: PubSub;
  /** Per-key rate limiter (Redis-backed in services mode); in-process when not given. */
  rateLimiter?: RateLimiter;
  /** Where chunking runs on the request path; inline when not given. */
  executor?: ChunkingExecutor;
  /** Where background operations chunk; inline when not given. */
  operationExecutor?: ChunkingExecutor;
  /** Where uploaded files convert; inline when not given. */
  converter?: DocumentConverter;
}

/** Runs queued operations: what a worker process is, and what the embedded server also runs. */
export interface OperationRunner {
  statistics: StatisticsService;
  lifecycle: OperationLifecycle;
  /** Handed to a JobQueue's `process()`. */
  operationProcessor: OperationProcessor;
}

export interface Services extends Omit<OperationRunner, 'lifecycle'> {
  auth: AuthService;
  keyAdmin: KeyAdminService;
  chunking: ChunkingService;
  collections: CollectionService;
  documents: DocumentService;
  chunks: ChunkService;
  operations: OperationService;
  health: HealthService;
  presets: PresetService;
  previewCache: PreviewCache<ComputedPreview>;
  quotas: RequestQuotas;
  metrics: ServiceMetrics;
  /** Every query's and mutation's deadline (`REQUEST_TIMEOUT_MS`). */
  requestBudget: RequestBudget;
}

type RunnerDependencies = Omit<
  ServiceDependencies,
  'probes' | 'rateLimiter' | 'executor' | 'converter' | 'keyLookups' | 'announcements'
>;

function createOperationRunner(
  dependencies: RunnerDependencies,
  configBuilder: ConfigBuilder,
  metrics: ServiceMetrics,
): OperationRunner {
  const { database, logger, settings } = dependencies;
  const statistics = new StatisticsService(
    database,
    dependencies.cache,
    logger,
    settings.statistics.cacheTtlSeconds,
  );
  const lifecycle = new OperationLifecycle({
    database,
    progress: dependencies.progress,
    statistics,
    logger,
    outcomes: metrics,
    progressIntervalMs: settings.operations.progressIntervalMs,
  });
  observeDatabase(metrics, database);
  observeOperations(metrics, { jobs: dependencies.jobs, statistics });
  return {
    statistics,
    lifecycle,
    operationProcessor: new OperationProcessor({
      database,
      lifecycle,
      configBuilder,
      executor: dependencies.operationExecutor ?? new InlineExecutor(),
      translator: exceptionTranslator,
      logger,
      watch: {
        pollMs: settings.operations.cancellationPollMs,
        timeoutMs: settings.operations.jobTimeoutMs,
      },
      slicing: {
        sliceDocuments: settings.operations.sliceDocuments,
        batchDocuments: settings.operations.batchDocuments,
      },
    }),
  };
}

const configBuilderFor = (settings: Settings) =>
  new ConfigBuilder({ allowedBaseUrls: settings.embedders.allowedBaseUrls });

/** Everything the server serves, wired over open backends; transports receive the finished graph. */
export function createServerServices(dependencies: ServiceDependencies): Services {
  const { database, logger, settings } = dependencies;
  const previewCache = new PreviewCache<ComputedPreview>(
    dependencies.cache,
    logger,
    settings.previewCache.ttlSeconds,
    settings.previewCache.localBytes,
    { maxEntryBytes: settings.previewCache.maxEntryBytes, estimateBytes: previewJsonBytes },
    dependencies.announcements
      ? {
          channel: dependencies.announcements,
          expiresAt: (preview) => preview.createdAt + settings.previewCache.ttlSeconds * 1000,
        }
      : undefined,
    previewJson,
  );
  const configBuilder = configBuilderFor(settings);
  const metrics = new ServiceMetrics();
  observePreviewCache(metrics, previewCache);
  const { lifecycle, ...runner } = createOperationRunner(dependencies, configBuilder, metrics);
  const uploadPool = new MemoryPool({ maxBytes: settings.uploads.memoryBytes });
  metrics.memoryPools.register('uploads', uploadPool);
  const { jobs, progress } = dependencies;
  const quotas = createRequestQuotas(settings.requestQuotas, {
    rateLimiter: dependencies.rateLimiter ?? new MemoryRateLimiter(),
    logger,
    observer: metrics,
  });
  const auth = new AuthService(database, logger, dependencies.keyLookups);
  return {
    ...runner,
    auth,
    keyAdmin: new KeyAdminService(auth, settings.access.adminApiKey),
    chunking: new ChunkingService({
      source: new DocumentSource(database, settings.previews.maxDocumentChars),
      configBuilder,
      previews: previewCache,
      executor: dependencies.executor ?? new InlineExecutor(),
      limits: { defaultMaxChunks: settings.previews.defaultMaxChunks },
    }),
    collections: new CollectionService(database, runner.statistics),
    documents: new DocumentService(
      database,
      runner.statistics,
      uploadPool,
      {
        maxBytes: settings.uploads.maxBytes,
        segmentBytes: settings.uploads.segmentBytes,
        acquireTimeoutMs: settings.uploads.memoryWaitMs,
        conversionTimeoutMs: settings.conversion.timeoutMs,
      },
      dependencies.converter ?? new InlineConverter(conversionLimitsOf(settings.conversion)),
      quotas.requests,
    ),
    chunks: new ChunkService(database, settings.exports.timeoutMs),
    operations: new OperationService({ database, configBuilder, jobs, lifecycle, progress, logger }),
    health: new HealthService([
      { name: 'database', check: () => database.ping() },
      ...(dependencies.probes ?? []),
    ]),
    presets: new PresetService(database, configBuilder),
    previewCache,
    quotas,
    metrics,
    requestBudget: new RequestBudget(settings.requestBudget.timeoutMs),
  };
}

/** One named step of closing a graph, in order (so a slow one can be named in the log). */
export interface CloseStep {
  name: string;
  close(): Promise<unknown>;
}

export interface ServerGraph {
  backends: Backends;
  services: Services;
  /** Closing the graph once the transport has closed: job consumer, threads, backends. */
  closeSteps: CloseStep[];
}

/**
 * The server: backends, chunking threads and every service. Without Redis there are no worker
 * processes, so the server also runs operations itself, on threads of their own.
 */
export async function openServerGraph(
  settings: Settings,
  logger: Logger,
  probesOf: (database: Database) => DependencyProbe[] = () => [],
): Promise<ServerGraph> {
  const backends = await openBackends(settings, logger);
  const runsOperations = backends.redis === undefined;
  useTokenizerSource(tokenizerFolder(settings.tokenizers));
  // Small previews count tokens on this thread: loaded before serving, not inside a request.
  preloadDefaultEncoding();
  const executor = new WorkerPoolExecutor({
    maxThreads: settings.chunkingPool.threads,
    offloadThresholdChars: settings.chunkingPool.offloadChars,
    resident: true,
    tokenizers: settings.tokenizers,
  });
  // Embedded operations chunk on threads of their own: never on the event loop, and never
  // holding the threads previews wait for.
  const operationExecutor = runsOperations
    ? new WorkerPoolExecutor({
        maxThreads: settings.operations.threads,
        offloadThresholdChars: 0,
        tokenizers: settings.tokenizers,
      })
    : undefined;
  const converter = new ThreadConverter({
    ...settings.conversion,
    limits: conversionLimitsOf(settings.conversion),
  });
  const closeThreads = () => Promise.all([executor.close(), operationExecutor?.close(), converter.close()]);
  // Revoked keys and deleted previews are announced on the limits Redis (pub/sub).
  const announcements = announcementsChannel(backends.redis?.limits, logger);
  const keyLookups = new KeyLookups(announcements, logger);
  try {
    await keyLookups.listen();
    const { applied } = await backends.database.migrate();
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
    const services = createServerServices({
      settings,
      database: backends.database,
      cache: backends.cache,
      jobs: backends.jobs,
      progress: backends.progress,
      logger,
      probes: [...backends.probes, ...probesOf(backends.database)],
      rateLimiter: rateLimiterFor(backends.redis?.limits),
      keyLookups,
      announcements,
      executor,
      ...(operationExecutor ? { operationExecutor } : {}),
      converter,
    });
    let jobConsumer: JobConsumer | undefined;
    if (runsOperations) {
      jobConsumer = backends.jobs.process(services.operationProcessor, {
        concurrency: settings.operations.embeddedConcurrency,
      });
      // What a previous run left: chunk sets its dead writers never finished are dropped, and (the
      // in-process queue starts empty) its unfinished operations are queued again.
      await services.operationProcessor.discardAbandonedChunkSets();
      await services.operations.requeueUnfinished();
    }
    return {
      backends,
      services,
      closeSteps: [
        { name: 'job consumer', close: async () => jobConsumer?.close() },
        { name: 'chunking threads', close: closeThreads },
        { name: 'key revocations', close: () => keyLookups.close() },
        { name: 'backends', close: () => backends.close() },
      ],
    };
  } catch (error) {
    await closeThreads();
    await keyLookups.close();
    await backends.close();
    throw error;
  }
}

export interface WorkerGraph {
  backends: Backends;
  metrics: ServiceMetrics;
  /** Takes operations from the shared queue; closing it lets running ones finish. */
  consumer: JobConsumer;
  /** After the consumer: the chunking threads, then the backends. */
  close(): Promise<void>;
}

/**
 * A worker process: only what runs operations taken from the shared queue (no request path, no
 * previews, no uploads). Chunking runs on threads (one per core by default, shared by the slices
 * it runs), so the event loop stays free to write batches and renew the jobs' locks, and a long
 * document never lets another worker take its job.
 */
export async function openWorkerGraph(settings: Settings, logger: Logger): Promise<WorkerGraph> {
  // Workers queue, follow and cache statistics; rate limits and announcements are the servers'.
  const backends = await openBackends(settings, logger, ['queue', 'cache']);
  useTokenizerSource(tokenizerFolder(settings.tokenizers));
  const executor = new WorkerPoolExecutor({
    maxThreads: settings.operations.threads,
    offloadThresholdChars: 0,
    tokenizers: settings.tokenizers,
    resident: true,
  });
  const close = async () => {
    await executor.close();
    await backends.close();
  };
  try {
    // Idempotent and serialised by the runner: whichever process starts first prepares the schema.
    await backends.database.migrate();
    // Threads start meanwhile; jobs are taken once each thread is ready to chunk.
    await executor.ready();
    const metrics = new ServiceMetrics();
    const { operationProcessor } = createOperationRunner(
      { ...backends, settings, logger, operationExecutor: executor },
      configBuilderFor(settings),
      metrics,
    );
    // Chunk sets that writers which died left unfinished (their operations ended since).
    await operationProcessor.discardAbandonedChunkSets();
    const consumer = backends.jobs.process(operationProcessor, {
      concurrency: settings.worker.concurrency,
      lockDurationMs: settings.worker.lockDurationMs,
      stalledIntervalMs: settings.worker.stalledIntervalMs,
      maxStalledCount: settings.worker.maxStalledCount,
    });
    return { backends, metrics, consumer, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Runs `use` on the API keys of the database the settings name (migrated first), then closes it:
 * what the keys CLI does, for whoever manages keys outside a running server.
 */
export async function withApiKeys<T>(
  settings: Settings,
  logger: Logger,
  use: (auth: AuthService) => Promise<T>,
): Promise<T> {
  // Keys live in the database; the limits Redis, when there is one, only carries revocations to
  // running servers.
  const backends = await openBackends(settings, logger, []);
  const limitsUrl = redisRoleUrls(settings.storage)?.urls.limits;
  const { keyPrefix } = settings.storage;
  const redis = limitsUrl ? new RedisManager({ url: limitsUrl, keyPrefix, logger }) : undefined;
  try {
    await redis?.waitUntilReady('commands').catch((error: unknown) => {
      logger.warn({ err: error }, 'redis unreachable: revocations reach running servers within 30 s only');
    });
    await backends.database.migrate();
    const revocations = new KeyLookups(announcementsChannel(redis, logger), logger);
    return await use(new AuthService(backends.database, logger, revocations));
  } finally {
    await redis?.close();
    await backends.close();
  }
}
