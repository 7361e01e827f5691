export { recognizePrismaError } from './errors.ts';
export type { DbLogger } from './logger.ts';
export { MigrationError } from './migrations.ts';
export {
  type Database,
  defaultPgliteDataDir,
  type OpenDatabaseOptions,
  openDatabase,
} from './open-database.ts';
export type { QueryEvent, QueryObserver } from './query-monitor.ts';
export type { BatchDocument, BatchOutcome, OperationBatch } from './repositories/chunk-batches.ts';
export type { ExportFilter, ExportOptions } from './repositories/chunk-export.ts';
export type { ChunkFilter, ChunkRepository, ReplaceChunksOptions } from './repositories/chunks.ts';
export type { CollectionRepository } from './repositories/collections.ts';
export { contentHashOf, type DocumentRepository } from './repositories/documents.ts';
export {
  assertLegalTransition,
  isLegalTransition,
  terminalStatuses,
} from './repositories/operation-transitions.ts';
export type { OperationRepository } from './repositories/operations.ts';
export type { PresetRepository } from './repositories/presets.ts';
export type { StatisticsRepository } from './repositories/statistics.ts';
export type { TenantRepository } from './repositories/tenants.ts';
export * from './types.ts';
