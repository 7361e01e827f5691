import type { CollectionStatistics, Database } from '@chunkflow/db';
import { NotFoundError } from '@chunkflow/errors';
import type { KeyValueCache } from '@chunkflow/redis-manager';
import type { Logger, Tenant } from '../ports.ts';

export interface StatisticsCacheStats {
  hits: number;
  misses: number;
  hitRate: number;
  invalidations: number;
}

/**
 * Per-collection statistics: one constant-size aggregation in the database, cached for a short
 * TTL and dropped whenever something that changes them happens (an operation changes status, a
 * document is added or removed). A cache outage costs speed, never the answer.
 */
export class StatisticsService {
  readonly #database: Database;
  readonly #cache: KeyValueCache;
  readonly #logger: Logger;
  readonly #ttlSeconds: number;
  #hits = 0;
  #misses = 0;
  #invalidations = 0;

  constructor(database: Database, cache: KeyValueCache, logger: Logger, ttlSeconds: number) {
    this.#database = database;
    this.#cache = cache;
    this.#logger = logger;
    this.#ttlSeconds = ttlSeconds;
  }

  async forCollection(tenant: Tenant, collectionId: string): Promise<CollectionStatistics> {
    const key = cacheKey(tenant.id, collectionId);
    const cached = await this.#read(key);
    if (cached) {
      this.#hits += 1;
      return cached;
    }
    this.#misses += 1;
    const statistics = await this.#database.statistics.forCollection(tenant.id, collectionId);
    if (!statistics) throw new NotFoundError('Collection', collectionId);
    await this.#write(key, statistics);
    return statistics;
  }

  /** Called by whatever changes a collection's figures, in any process (the cache is shared). */
  async invalidate(tenantId: string, collectionId: string): Promise<void> {
    this.#invalidations += 1;
    try {
      await this.#cache.delete(cacheKey(tenantId, collectionId));
    } catch (error) {
      // The short TTL bounds how stale the figures can get.
      this.#logger.warn({ err: error, collectionId }, 'statistics cache invalidation failed');
    }
  }

  stats(): StatisticsCacheStats {
    const total = this.#hits + this.#misses;
    return {
      hits: this.#hits,
      misses: this.#misses,
      hitRate: total === 0 ? 0 : this.#hits / total,
      invalidations: this.#invalidations,
    };
  }

  async #read(key: string): Promise<CollectionStatistics | undefined> {
    try {
      const raw = await this.#cache.get(key);
      if (raw === undefined) return undefined;
      const parsed = JSON.parse(raw) as CollectionStatistics & { lastUpdated: string };
      return { ...parsed, lastUpdated: new Date(parsed.lastUpdated) };
    } catch (error) {
      this.#logger.warn({ err: error, key }, 'statistics cache read failed; querying instead');
      return undefined;
    }
  }

  async #write(key: string, statistics: CollectionStatistics): Promise<void> {
    try {
      await this.#cache.set(key, JSON.stringify(statistics), this.#ttlSeconds);
    } catch (error) {
      this.#logger.warn({ err: error, key }, 'statistics cache write failed; serving uncached');
    }
  }
}

/** Per tenant as well as per collection: another tenant asking for the id must not hit the entry. */
function cacheKey(tenantId: string, collectionId: string): string {
  return `statistics:${tenantId}:${collectionId}`;
}
