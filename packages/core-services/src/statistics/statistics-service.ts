import type { CollectionStatistics, Database } from '@chunkflow/db';
import { NotFoundError } from '@chunkflow/errors';
import type { KeyValueCache } from '@chunkflow/redis-manager';
import { type CacheStats, ReadThroughCache } from '../caching/read-through-cache.ts';
import type { AuthenticatedTenant, Logger } from '../ports.ts';

export interface StatisticsCacheStats extends CacheStats {
  invalidations: number;
}

/**
 * Per-collection statistics: one constant-size aggregation in the database, cached for a short
 * TTL and dropped whenever something that changes them happens (an operation changes status, a
 * document is added or removed). A cache outage costs speed, never the answer.
 */
export class StatisticsService {
  readonly #database: Database;
  readonly #cache: ReadThroughCache<CollectionStatistics>;
  readonly #logger: Logger;
  #invalidations = 0;

  constructor(database: Database, cache: KeyValueCache, logger: Logger, ttlSeconds: number) {
    this.#database = database;
    this.#logger = logger;
    this.#cache = new ReadThroughCache<CollectionStatistics>(cache, logger, {
      name: 'statistics',
      ttlSeconds,
      revive,
    });
  }

  async forCollection(tenant: AuthenticatedTenant, collectionId: string): Promise<CollectionStatistics> {
    const { value } = await this.#cache.getOrLoad(cacheKey(tenant.id, collectionId), async () => {
      const statistics = await this.#database.statistics.forCollection(tenant.id, collectionId);
      if (!statistics) throw new NotFoundError('Collection', collectionId);
      return statistics;
    });
    return value;
  }

  /** Called by whatever changes a collection's figures, in any process (the cache is shared). */
  async invalidate(tenantId: string, collectionId: string): Promise<void> {
    this.#invalidations += 1;
    try {
      await this.#cache.evict(cacheKey(tenantId, collectionId));
    } catch (error) {
      // The short TTL bounds how stale the figures can get.
      this.#logger.warn({ err: error, collectionId }, 'statistics cache invalidation failed');
    }
  }

  stats(): StatisticsCacheStats {
    return { ...this.#cache.stats(), invalidations: this.#invalidations };
  }
}

/**
 * Rebuilds the Date JSON lost. An entry a server without the size distribution stored (during a
 * rolling upgrade) is unusable: throwing makes the cache load and store it afresh.
 */
function revive(stored: CollectionStatistics): CollectionStatistics {
  if (!Array.isArray(stored.sizeDistribution)) {
    throw new Error('cached statistics predate sizeDistribution');
  }
  return { ...stored, lastUpdated: new Date(stored.lastUpdated) };
}

/** Per tenant as well as per collection: another tenant asking for the id must not hit the entry. */
function cacheKey(tenantId: string, collectionId: string): string {
  return `statistics:${tenantId}:${collectionId}`;
}
