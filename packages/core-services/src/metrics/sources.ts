import type { Database } from '@chunkflow/db';
import type { CacheStats } from '../caching/read-through-cache.ts';
import type { PreviewCacheStats } from '../chunking/preview-cache.ts';
import type { JobQueue } from '../jobs/job-queue.ts';
import type { ServiceMetrics } from './service-metrics.ts';

/** Statement kind from its first keyword: bounded label values, never the SQL itself. */
export function statementKind(sql: string): string {
  const keyword = /^\s*(\w+)/.exec(sql)?.[1]?.toLowerCase();
  switch (keyword) {
    case 'select':
    case 'insert':
    case 'update':
    case 'delete':
    case 'with':
    case 'copy':
      return keyword;
    case 'begin':
    case 'commit':
    case 'rollback':
      return 'transaction';
    default:
      return 'other';
  }
}

/** Records every statement's duration; the returned function stops it. */
export function observeDatabase(metrics: ServiceMetrics, database: Database): () => void {
  return database.observeQueries((event) =>
    metrics.observeQuery(statementKind(event.sql), event.durationMs / 1000),
  );
}

export function observePreviewCache(metrics: ServiceMetrics, cache: { stats(): PreviewCacheStats }): void {
  metrics.registerCounter(
    'chunkflow_preview_cache_lookups_total',
    'Preview cache lookups in this process, by result (hit, miss)',
    () => {
      const { hits, misses } = cache.stats();
      return [
        { labels: { result: 'hit' }, value: hits },
        { labels: { result: 'miss' }, value: misses },
      ];
    },
    ['result'],
  );
  metrics.registerCounter(
    'chunkflow_preview_cache_joins_total',
    'Previews (and compared strategies) in this process that joined an identical computation in flight',
    () => [{ labels: {}, value: cache.stats().joined }],
  );
  metrics.registerGauge(
    'chunkflow_preview_cache_hit_ratio',
    'Share of preview cache lookups answered from the cache since start',
    () => cache.stats().hitRate,
  );
}

/** Operations: the shared queue's backlog, and statistics caching (which finished operations refresh). */
export function observeOperations(
  metrics: ServiceMetrics,
  sources: { jobs: JobQueue; statistics: { stats(): CacheStats } },
): void {
  metrics.registerGauge('chunkflow_queue_waiting_jobs', 'Operations queued and not yet running', () =>
    sources.jobs.waiting(),
  );
  metrics.registerGauge(
    'chunkflow_statistics_cache_hit_ratio',
    'Share of statistics lookups answered from the cache since start',
    () => sources.statistics.stats().hitRate,
  );
}
