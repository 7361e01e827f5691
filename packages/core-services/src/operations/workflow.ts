import type { Database } from '@chunkflow/db';
import { MemoryPool } from '@chunkflow/mempool';
import type { KeyValueCache } from '@chunkflow/redis-manager';
import type { ConfigBuilder } from '../chunking/config-builder.ts';
import type { ChunkingExecutor } from '../chunking/executor.ts';
import { ChunkService } from '../documents/chunk-service.ts';
import { type DocumentLimits, DocumentService } from '../documents/document-service.ts';
import { exceptionTranslator } from '../errors.ts';
import type { JobQueue } from '../jobs/job-queue.ts';
import { openOperationBackends } from '../jobs/operation-backends.ts';
import type { ServiceMetrics } from '../metrics/service-metrics.ts';
import { observeWorkflow } from '../metrics/sources.ts';
import type { Logger } from '../ports.ts';
import type { ProgressStream } from '../progress/progress-stream.ts';
import { StatisticsService } from '../statistics/statistics-service.ts';
import { OperationLifecycle } from './operation-lifecycle.ts';
import { OperationProcessor } from './operation-processor.ts';
import { OperationService } from './operation-service.ts';

export interface WorkflowLimits extends DocumentLimits {
  /** Bytes all uploads in this process may hold at once. */
  uploadMemoryBytes: number;
  statisticsTtlSeconds: number;
  /** How long one attempt of an operation may run before it is abandoned and failed (`JOB_TIMEOUT_MS`). */
  jobTimeoutMs: number;
  /** How often a running operation's status is read, so a cancellation stops its work. */
  cancellationPollMs: number;
}

export interface WorkflowDependencies {
  database: Database;
  cache: KeyValueCache;
  logger: Logger;
  /** Default: an in-process queue (embedded mode). */
  jobs?: JobQueue | undefined;
  /** Default: an in-process progress stream (embedded mode). */
  progress?: ProgressStream | undefined;
  limits?: Partial<WorkflowLimits> | undefined;
  configBuilder: ConfigBuilder;
  metrics: ServiceMetrics;
  /** Where operations chunk and uploads convert: a worker-thread pool in servers and workers. */
  executor: ChunkingExecutor;
}

/** Documents in, chunks out: the services behind collections, documents, chunks and operations. */
export interface WorkflowServices {
  documents: DocumentService;
  chunks: ChunkService;
  operations: OperationService;
  statistics: StatisticsService;
  /** Runs queued operations: handed to a JobQueue's `process()` by workers (or the embedded server). */
  operationProcessor: OperationProcessor;
}

const MIB = 1024 * 1024;

export const DEFAULT_WORKFLOW_LIMITS: WorkflowLimits = {
  maxBytes: 100 * MIB,
  segmentBytes: MIB,
  acquireTimeoutMs: 30_000,
  conversionTimeoutMs: 60_000,
  uploadMemoryBytes: 256 * MIB,
  statisticsTtlSeconds: 30,
  jobTimeoutMs: 60 * 60 * 1000,
  cancellationPollMs: 500,
};

export function createWorkflowServices(dependencies: WorkflowDependencies): WorkflowServices {
  const { database, logger, configBuilder } = dependencies;
  const limits = { ...DEFAULT_WORKFLOW_LIMITS, ...dependencies.limits };
  const embedded = openOperationBackends(undefined, logger);
  const jobs = dependencies.jobs ?? embedded.jobs;
  const progress = dependencies.progress ?? embedded.progress;
  const statistics = new StatisticsService(database, dependencies.cache, logger, limits.statisticsTtlSeconds);
  const lifecycle = new OperationLifecycle({
    database,
    progress,
    statistics,
    logger,
    outcomes: dependencies.metrics,
  });
  const uploadPool = new MemoryPool({ maxBytes: limits.uploadMemoryBytes });
  observeWorkflow(dependencies.metrics, { jobs, uploadPool, statistics });
  return {
    documents: new DocumentService(database, statistics, uploadPool, limits, dependencies.executor),
    chunks: new ChunkService(database),
    operations: new OperationService({ database, configBuilder, jobs, lifecycle, progress, logger }),
    statistics,
    operationProcessor: new OperationProcessor({
      database,
      lifecycle,
      configBuilder,
      executor: dependencies.executor,
      translator: exceptionTranslator,
      logger,
      watch: { pollMs: limits.cancellationPollMs, timeoutMs: limits.jobTimeoutMs },
    }),
  };
}
