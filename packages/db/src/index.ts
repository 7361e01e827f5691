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
export type { CollectionRepository } from './repositories/collections.ts';
export type { TenantRepository } from './repositories/tenants.ts';
export * from './types.ts';
