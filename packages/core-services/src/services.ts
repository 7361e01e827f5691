import type { Database } from '@chunkflow/db';
import type { KeyValueCache } from '@chunkflow/redis-manager';
import { AuthService } from './auth/auth-service.ts';
import { type ChunkingLimits, ChunkingService, type ComputedPreview } from './chunking/chunking-service.ts';
import { ConfigBuilder } from './chunking/config-builder.ts';
import { PreviewCache } from './chunking/preview-cache.ts';
import { CollectionService } from './collections/collection-service.ts';
import { type DependencyProbe, HealthService } from './health/health-service.ts';
import type { Logger } from './ports.ts';

export interface ServiceDependencies {
  database: Database;
  cache: KeyValueCache;
  logger: Logger;
  /** Extra readiness probes (e.g. Redis) supplied by the composition root. */
  probes?: DependencyProbe[];
  limits?: Partial<ChunkingLimits & { previewTtlSeconds: number }>;
}

export interface Services {
  auth: AuthService;
  chunking: ChunkingService;
  collections: CollectionService;
  health: HealthService;
  previewCache: PreviewCache<ComputedPreview>;
}

const DEFAULT_LIMITS = {
  maxDocumentChars: 10 * 1024 * 1024,
  defaultMaxChunks: 1000,
  previewTtlSeconds: 30 * 60,
};

/** The one place services are wired; transports receive the finished graph. */
export function createServices(dependencies: ServiceDependencies): Services {
  const limits = { ...DEFAULT_LIMITS, ...dependencies.limits };
  const previewCache = new PreviewCache<ComputedPreview>(
    dependencies.cache,
    dependencies.logger,
    limits.previewTtlSeconds,
  );
  const databaseProbe: DependencyProbe = { name: 'database', check: () => dependencies.database.ping() };
  return {
    auth: new AuthService(dependencies.database, dependencies.logger),
    chunking: new ChunkingService(dependencies.database, new ConfigBuilder(), previewCache, limits),
    collections: new CollectionService(dependencies.database),
    health: new HealthService([databaseProbe, ...(dependencies.probes ?? [])]),
    previewCache,
  };
}
