import type { Database } from '@chunkflow/db';
import type { PreviewCacheStats } from '../chunking/preview-cache.ts';
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
  metrics.registerGauge(
    'chunkflow_preview_cache_hit_ratio',
    'Share of preview cache lookups answered from the cache since start',
    () => cache.stats().hitRate,
  );
}

/** Wires the data sources every process has: database statements and the preview cache. */
export function instrumentServices(
  metrics: ServiceMetrics,
  sources: { database: Database; previewCache: { stats(): PreviewCacheStats } },
): void {
  observeDatabase(metrics, sources.database);
  observePreviewCache(metrics, sources.previewCache);
}
