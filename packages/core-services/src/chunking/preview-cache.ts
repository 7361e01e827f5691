import type { KeyValueCache } from '@chunkflow/redis-manager';
import { type CacheStats, ReadThroughCache } from '../caching/read-through-cache.ts';
import type { Logger } from '../ports.ts';

export interface PreviewCacheStats extends CacheStats {
  /** Requests that joined an identical computation already in flight: no lookup of their own. */
  joined: number;
}

/**
 * Content-addressed store of computed previews. Concurrent identical requests in this process
 * share one computation (single flight); a cache outage degrades to computing, never to failing.
 */
export class PreviewCache<Value> {
  readonly #store: ReadThroughCache<Value>;
  readonly #inFlight = new Map<string, Promise<{ value: Value; cached: boolean }>>();
  #joined = 0;

  /**
   * `localBytes`: parsed previews also kept in this process; `sizeCap`: larger previews are
   * answered but not stored (see ReadThroughCacheOptions).
   */
  constructor(
    cache: KeyValueCache,
    logger: Logger,
    ttlSeconds: number,
    localBytes = 0,
    sizeCap?: { maxEntryBytes: number; estimateBytes: (value: Value) => number },
  ) {
    this.#store = new ReadThroughCache<Value>(cache, logger, {
      name: 'preview',
      ttlSeconds,
      localBytes,
      ...(sizeCap ? { maxValueBytes: sizeCap.maxEntryBytes, estimateBytes: sizeCap.estimateBytes } : {}),
    });
  }

  get ttlSeconds(): number {
    return this.#store.ttlSeconds;
  }

  getOrCompute(
    key: string,
    compute: () => Value | Promise<Value>,
  ): Promise<{ value: Value; cached: boolean }> {
    const pending = this.#inFlight.get(key);
    if (pending) {
      this.#joined += 1;
      return pending;
    }
    const result = this.#store.getOrLoad(key, compute).finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, result);
    return result;
  }

  peek(key: string): Promise<Value | undefined> {
    return this.#store.peek(key);
  }

  remove(key: string): Promise<boolean> {
    return this.#store.evict(key);
  }

  stats(): PreviewCacheStats {
    return { ...this.#store.stats(), joined: this.#joined };
  }
}
