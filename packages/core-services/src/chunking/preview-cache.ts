import type { KeyValueCache } from '@chunkflow/redis-manager';
import { LRUCache } from 'lru-cache';
import {
  type CacheStats,
  ReadThroughCache,
  type ReadThroughCacheOptions,
} from '../caching/read-through-cache.ts';
import type { Logger } from '../ports.ts';

export interface PreviewCacheStats extends CacheStats {
  /** Requests that joined an identical computation already in flight: no lookup of their own. */
  joined: number;
}

/** Aliases live beside the entries, under a prefix no entry key (32 hex characters) has. */
const ALIAS_PREFIX = 'alias:';
const MAX_LOCAL_ALIASES = 10_000;

/**
 * Content-addressed store of computed previews. Concurrent identical requests in this process
 * share one computation (single flight); a cache outage degrades to computing, never to failing.
 */
export class PreviewCache<Value> {
  readonly #cache: KeyValueCache;
  readonly #logger: Logger;
  readonly #store: ReadThroughCache<Value>;
  /** Aliases seen in this process: what one names never changes, so they need no existence check. */
  readonly #aliases = new LRUCache<string, string>({ max: MAX_LOCAL_ALIASES });
  readonly #inFlight = new Map<string, Promise<{ value: Value; cached: boolean }>>();
  #joined = 0;

  /**
   * `localBytes`: parsed previews also kept in this process; `sizeCap`: larger previews are
   * answered but not stored; `removals`: kept previews served without an existence check;
   * `serialize`: a preview's JSON as stored (see ReadThroughCacheOptions).
   */
  constructor(
    cache: KeyValueCache,
    logger: Logger,
    ttlSeconds: number,
    localBytes = 0,
    sizeCap?: { maxEntryBytes: number; estimateBytes: (value: Value) => number },
    removals?: ReadThroughCacheOptions<Value>['removals'],
    serialize?: ReadThroughCacheOptions<Value>['serialize'],
  ) {
    this.#cache = cache;
    this.#logger = logger;
    this.#store = new ReadThroughCache<Value>(cache, logger, {
      name: 'preview',
      ttlSeconds,
      localBytes,
      ...(sizeCap ? { maxValueBytes: sizeCap.maxEntryBytes, estimateBytes: sizeCap.estimateBytes } : {}),
      ...(removals ? { removals } : {}),
      ...(serialize ? { serialize } : {}),
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

  /** As `peek`, counted as a hit or a miss (see ReadThroughCache.lookup). */
  lookup(key: string | undefined): Promise<Value | undefined> {
    return this.#store.lookup(key);
  }

  remove(key: string): Promise<boolean> {
    return this.#store.evict(key);
  }

  /**
   * Records that `alias` names the entry `key`, for as long as entries live. An alias of a fixed
   * key (a hash of what the key is a hash of) can be written by any process at any time.
   */
  async alias(alias: string, key: string): Promise<void> {
    this.#aliases.set(alias, key);
    try {
      await this.#cache.set(`${ALIAS_PREFIX}${alias}`, key, this.ttlSeconds);
    } catch (error) {
      this.#logger.warn(
        { err: error, alias },
        'preview alias write failed; the preview is found by content only',
      );
    }
  }

  /** The key an alias names, or undefined when none was recorded (or it expired). */
  async resolve(alias: string): Promise<string | undefined> {
    const known = this.#aliases.get(alias);
    if (known !== undefined) return known;
    try {
      const key = await this.#cache.get(`${ALIAS_PREFIX}${alias}`);
      if (key !== undefined) this.#aliases.set(alias, key);
      return key;
    } catch (error) {
      this.#logger.warn({ err: error, alias }, 'preview alias read failed; answering not cached');
      return undefined;
    }
  }

  stats(): PreviewCacheStats {
    return { ...this.#store.stats(), joined: this.#joined };
  }
}
