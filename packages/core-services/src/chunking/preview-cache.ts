import type { KeyValueCache } from '@chunkflow/redis-manager';
import type { Logger } from '../ports.ts';

export interface PreviewCacheStats {
  hits: number;
  misses: number;
  hitRate: number;
}

/**
 * Content-addressed store of computed previews. Concurrent identical requests in this process
 * share one computation (single flight); a cache outage degrades to computing, never to failing.
 */
export class PreviewCache<Value> {
  readonly #cache: KeyValueCache;
  readonly #logger: Logger;
  readonly #ttlSeconds: number;
  readonly #inFlight = new Map<string, Promise<{ value: Value; cached: boolean }>>();
  #hits = 0;
  #misses = 0;

  constructor(cache: KeyValueCache, logger: Logger, ttlSeconds: number) {
    this.#cache = cache;
    this.#logger = logger;
    this.#ttlSeconds = ttlSeconds;
  }

  get ttlSeconds(): number {
    return this.#ttlSeconds;
  }

  getOrCompute(
    key: string,
    compute: () => Value | Promise<Value>,
  ): Promise<{ value: Value; cached: boolean }> {
    const pending = this.#inFlight.get(key);
    if (pending) return pending;
    const result = this.#load(key, compute).finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, result);
    return result;
  }

  /** A stored value without computing anything; undefined when absent, expired or unreadable. */
  async peek(key: string): Promise<Value | undefined> {
    return this.#read(key);
  }

  /** Removes a stored value; true when there was one. A store outage propagates (the caller asked). */
  remove(key: string): Promise<boolean> {
    return this.#cache.delete(key);
  }

  stats(): PreviewCacheStats {
    const total = this.#hits + this.#misses;
    return { hits: this.#hits, misses: this.#misses, hitRate: total === 0 ? 0 : this.#hits / total };
  }

  async #load(
    key: string,
    compute: () => Value | Promise<Value>,
  ): Promise<{ value: Value; cached: boolean }> {
    const stored = await this.#read(key);
    if (stored !== undefined) {
      this.#hits += 1;
      return { value: stored, cached: true };
    }
    this.#misses += 1;
    const value = await compute();
    await this.#write(key, value);
    return { value, cached: false };
  }

  async #read(key: string): Promise<Value | undefined> {
    try {
      const raw = await this.#cache.get(key);
      return raw === undefined ? undefined : (JSON.parse(raw) as Value);
    } catch (error) {
      this.#logger.warn({ err: error, key }, 'preview cache read failed; computing instead');
      return undefined;
    }
  }

  async #write(key: string, value: Value): Promise<void> {
    try {
      await this.#cache.set(key, JSON.stringify(value), this.#ttlSeconds);
    } catch (error) {
      this.#logger.warn({ err: error, key }, 'preview cache write failed; serving uncached');
    }
  }
}
