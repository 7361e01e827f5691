// What a caller may send as a strategy and its config (the API's input types).
export type { ChunkingOptionsInput, StrategyChoiceInput, StrategyNameInput } from '@chunkflow/chunkers';
export { announcementsChannel } from './announcements.ts';
export { generateApiKey, hashApiKey } from './auth/api-keys.ts';
export { AuthService, DEFAULT_TENANT } from './auth/auth-service.ts';
export { KeyAdminService } from './auth/key-admin.ts';
export {
  KEY_REVOCATIONS_CHANNEL,
  KeyLookups,
  type KeyOwner,
} from './auth/key-lookups.ts';
export { type BackendSettings, type Backends, openBackends, openOperationBackends } from './backends.ts';
export type {
  CompareInput,
  ComparisonResult,
  ComputedPreview,
  PreviewByHashInput,
  PreviewEntry,
  PreviewInput,
  PreviewResult,
  StrategyDescription,
} from './chunking/chunking-service.ts';
export { ChunkingService, contentHashOf } from './chunking/chunking-service.ts';
export { ConfigBuilder, type EmbedderPolicy } from './chunking/config-builder.ts';
export {
  type ChunkingExecutor,
  type ChunkingOutcome,
  InlineExecutor,
  type RunOptions,
} from './chunking/executor.ts';
export { WorkerPoolExecutor, type WorkerPoolOptions } from './chunking/pool-executor.ts';
export { PreviewCache } from './chunking/preview-cache.ts';
export { CollectionService, type CreateCollectionInput } from './collections/collection-service.ts';
export {
  type CloseStep,
  createServerServices,
  openServerGraph,
  openWorkerGraph,
  type ServerGraph,
  type ServiceDependencies,
  type Services,
  type WorkerGraph,
  withApiKeys,
} from './composition.ts';
export { type ConversionThreadOptions, ThreadConverter } from './conversion/conversion-threads.ts';
export { conversionLimitsOf, type DocumentConverter, InlineConverter } from './conversion/converter.ts';
export { type Deadline, RequestBudget } from './deadlines/request-budget.ts';
export { BULK_LIMITS } from './documents/bulk-limits.ts';
export type { BulkItemResult, BulkResult, BulkSummary } from './documents/bulk-results.ts';
export type { ExportInput } from './documents/chunk-export.ts';
export { ChunkService, type ListChunksInput } from './documents/chunk-service.ts';
export type { ImportResultSink } from './documents/document-import.ts';
export {
  type DocumentDescription,
  DocumentService,
  type NewDocumentInput,
} from './documents/document-service.ts';
export { exceptionTranslator } from './errors.ts';
export { type DependencyProbe, HealthService, type Readiness } from './health/health-service.ts';
export {
  type ChunkingJob,
  type JobConsumer,
  type JobProcessor,
  type JobQueue,
  PermanentJobError,
  type ProcessingOptions,
  type RetryPolicy,
} from './jobs/job-queue.ts';
export { FailedAuthGuard } from './limits/failed-auth-guard.ts';
export { KeySlots } from './limits/key-slots.ts';
export { LeasedAdmissions } from './limits/leased-admissions.ts';
export {
  type RateLimitClass,
  type RateLimitPolicy,
  type RateLimitRule,
  rateLimitClasses,
  rateLimitPolicyFrom,
} from './limits/rate-limit-policy.ts';
export { RequestLimiter } from './limits/request-limiter.ts';
export { createRequestQuotas, type RequestQuotas, rateLimiterFor } from './limits/request-quotas.ts';
export { createLogger, type LogFormat, resolveLogFormat } from './logging.ts';
export type { GaugeCollector, GaugeSample } from './metrics/gauges.ts';
export { MemoryPoolMetrics } from './metrics/memory-pool-metrics.ts';
export { mayScrapeMetrics } from './metrics/scrape-access.ts';
export { ServiceMetrics } from './metrics/service-metrics.ts';
export { statementKind } from './metrics/sources.ts';
export { type ApplyInput, type ApplyResult, OperationService } from './operations/operation-service.ts';
export type { AuthenticatedTenant, Logger } from './ports.ts';
export { type PresetInput, PresetService, type PresetView } from './presets/preset-service.ts';
export type { ProgressEvent } from './progress/progress-events.ts';
export type { TrackedProgressEvent } from './progress/progress-stream.ts';
export { REDIS_ROLE_VARIABLES, type RedisRoleUrls, redisRoleUrls } from './settings/redis-urls.ts';
export { DEFAULT_SETTINGS, type Settings, settingsFrom } from './settings/settings.ts';
export { type StatisticsCacheStats, StatisticsService } from './statistics/statistics-service.ts';
