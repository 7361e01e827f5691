import type { Database } from '@chunkflow/db';
import type { KeyValueCache, RateLimiter } from '@chunkflow/redis-manager';
import { AuthService } from './auth/auth-service.ts';
import type { Backends } from './backends.ts';
import { ChunkingService, type ComputedPreview, previewJsonBytes } from './chunking/chunking-service.ts';
import { ConfigBuilder, type EmbedderPolicy } from './chunking/config-builder.ts';
import { DocumentSource } from './chunking/document-source.ts';
import { type ChunkingExecutor, InlineExecutor } from './chunking/executor.ts';
import { PreviewCache } from './chunking/preview-cache.ts';
import { CollectionService } from './collections/collection-service.ts';
import { RequestBudget } from './deadlines/request-budget.ts';
import { type DependencyProbe, HealthService } from './health/health-service.ts';
import type { LimitSettings } from './limits/environment.ts';
import { createLimits, type Limits } from './limits/limits.ts';
import { ServiceMetrics } from './metrics/service-metrics.ts';
import { instrumentServices } from './metrics/sources.ts';
import {
  createWorkflowServices,
  type WorkflowDependencies,
  type WorkflowServices,
} from './operations/workflow.ts';
import type { Logger } from './ports.ts';
import { PresetService } from './presets/preset-service.ts';

export interface ServiceDependencies {
  database: Database;
  cache: KeyValueCache;
  logger: Logger;
  /** Extra readiness probes (e.g. Redis) supplied by the composition root. */
  probes?: DependencyProbe[];
  /** Job queue and progress stream of operations (from openBackends); in-process when not given. */
  jobs?: WorkflowDependencies['jobs'];
  progress?: WorkflowDependencies['progress'];
  workflowLimits?: WorkflowDependencies['limits'];
  /** Which remote embedders client configs may name. */
  embedderPolicy?: EmbedderPolicy;
  /** Where chunking runs on the request path; inline when not given. */
  executor?: ChunkingExecutor;
  /** Where background operations chunk (a worker-thread pool in servers and workers); inline when not given. */
  operationExecutor?: ChunkingExecutor;
  limits?: Partial<typeof DEFAULT_LIMITS>;
  /** Per-key rate limiter (Redis-backed in services mode); in-process when not given. */
  rateLimiter?: RateLimiter;
  limitSettings?: Partial<LimitSettings>;
}

export interface Services extends WorkflowServices {
  auth: AuthService;
  chunking: ChunkingService;
  collections: CollectionService;
  health: HealthService;
  presets: PresetService;
  previewCache: PreviewCache<ComputedPreview>;
  limits: Limits;
  metrics: ServiceMetrics;
  /** Every query's and mutation's deadline (`REQUEST_TIMEOUT_MS`). */
  requestBudget: RequestBudget;
}

const DEFAULT_LIMITS = {
  maxDocumentChars: 10 * 1024 * 1024,
  defaultMaxChunks: 1000,
  previewTtlSeconds: 30 * 60,
  /** Parsed previews kept in process memory in front of the shared cache (hot ones skip the transfer and parse). */
  previewLocalCacheBytes: 32 * 1024 * 1024,
  /** Previews larger than this (estimated JSON) are answered but not cached (`PREVIEW_CACHE_MAX_ENTRY_MB`). */
  previewCacheMaxEntryBytes: 8 * 1024 * 1024,
  /** Time budget of one request (`REQUEST_TIMEOUT_MS`). */
  requestTimeoutMs: 30_000,
};

/** What every process takes from its opened backends (`openBackends`) to create its services. */
export function backendDependencies(
  backends: Backends,
  logger: Logger,
): Pick<ServiceDependencies, 'database' | 'cache' | 'logger' | 'jobs' | 'progress'> {
  return {
    database: backends.database,
    cache: backends.cache,
    logger,
    jobs: backends.jobs,
    progress: backends.progress,
  };
}

/** The one place services are wired; transports receive the finished graph. */
export function createServices(dependencies: ServiceDependencies): Services {
  const limits = { ...DEFAULT_LIMITS, ...dependencies.limits };
  const previewCache = new PreviewCache<ComputedPreview>(
    dependencies.cache,
    dependencies.logger,
    limits.previewTtlSeconds,
    limits.previewLocalCacheBytes,
    { maxEntryBytes: limits.previewCacheMaxEntryBytes, estimateBytes: previewJsonBytes },
  );
  const databaseProbe: DependencyProbe = { name: 'database', check: () => dependencies.database.ping() };
  const configBuilder = new ConfigBuilder(dependencies.embedderPolicy);
  const metrics = new ServiceMetrics();
  instrumentServices(metrics, { database: dependencies.database, previewCache });
  const workflow = createWorkflowServices({
    ...dependencies,
    limits: dependencies.workflowLimits,
    configBuilder,
    metrics,
    executor: dependencies.operationExecutor ?? new InlineExecutor(),
  });
  return {
    auth: new AuthService(dependencies.database, dependencies.logger),
    chunking: new ChunkingService({
      source: new DocumentSource(dependencies.database, limits.maxDocumentChars),
      configBuilder,
      previews: previewCache,
      executor: dependencies.executor ?? new InlineExecutor(),
      limits,
    }),
    collections: new CollectionService(dependencies.database, workflow.statistics),
    health: new HealthService([databaseProbe, ...(dependencies.probes ?? [])]),
    presets: new PresetService(dependencies.database, configBuilder),
    previewCache,
    limits: createLimits({
      rateLimiter: dependencies.rateLimiter,
      settings: dependencies.limitSettings,
      logger: dependencies.logger,
      observer: metrics,
    }),
    metrics,
    requestBudget: new RequestBudget(limits.requestTimeoutMs),
    ...workflow,
  };
}
