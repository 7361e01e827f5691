import type { CacheValue, KeyValueCache, PubSub } from '@chunkflow/redis-manager';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../ports.ts';

export interface CacheStats {
  hits: number;
  misses: number;
  hitRate: number;
  /** Values loaded but not stored: over `maxValueBytes`. */
  oversize: number;
}

export interface ReadThroughCacheOptions<Value> {
  /** Names the cache in log lines. */
  name: string;
  ttlSeconds: number;
  /** Rebuilds what JSON loses (e.g. Dates) from a stored value. */
  revive?: (stored: Value) => Value;
  /**
   * Also keep parsed values in this process, up to this many bytes of their JSON (0: none). A
   * value kept here is served only while the shared store still holds it (an existence check,
   * no transfer), so a delete or an expiry in any process is seen at once; what it saves is
   * moving and parsing the value. Only for values that no one changes after they are stored.
   */
  localBytes?: number;
  /**
   * Values estimated larger than this many bytes of JSON are served but not stored (one huge
   * value would crowd everything else out of the shared store). Needs `estimateBytes`.
   */
  maxValueBytes?: number;
  /** The value's JSON as stored (default: JSON.stringify), for values that know it already. */
  serialize?: (value: Value) => CacheValue;
  /** A cheap estimate of a value's JSON size, made before anything is serialised. */
  estimateBytes?: (value: Value) => number;
  /**
   * Lets values kept in this process be served without the existence check: every removal is
   * announced on `channel` (pub/sub reaching every process) and each process drops its copy, and
   * a kept value is dropped when its stored copy expires (`expiresAt`, ms since the epoch). Until
   * this process hears the channel (or when it cannot), the existence check is made as before.
   * A value the store drops on its own (memory pressure) may still be served here until it
   * expires: only for values that never change once stored.
   */
  removals?: { channel: PubSub; expiresAt: (value: Value) => number };
}

/**
 * JSON values in the shared key-value cache, loaded on a miss and counted. The cache only ever
 * costs speed: a store outage on read or write falls back to loading, never to failing.
 */
export class ReadThroughCache<Value> {
  readonly #cache: KeyValueCache;
  readonly #logger: Logger;
  readonly #options: ReadThroughCacheOptions<Value>;
  readonly #local: LRUCache<string, { value: Value }> | undefined;
  #hits = 0;
  #misses = 0;
  #oversize = 0;
  /** Whether removals are heard (see `removals`): kept values are then served without a check. */
  #hearsRemovals = false;

  constructor(cache: KeyValueCache, logger: Logger, options: ReadThroughCacheOptions<Value>) {
    this.#cache = cache;
    this.#logger = logger;
    this.#options = options;
    const localBytes = options.localBytes ?? 0;
    this.#local =
      localBytes > 0 ? new LRUCache({ maxSize: localBytes, ttl: options.ttlSeconds * 1000 }) : undefined;
    if (this.#local && options.removals) {
      options.removals.channel
        .subscribe(this.#removalsChannel, (key) => this.#local?.delete(key))
        .then(
          () => {
            this.#hearsRemovals = true;
          },
          (error: unknown) =>
            logger.warn({ err: error }, `${options.name} cache removals unheard; kept values are checked`),
        );
    }
  }

  get #removalsChannel(): string {
    return `cache-removals:${this.#options.name}`;
  }

  get ttlSeconds(): number {
    return this.#options.ttlSeconds;
  }

  async getOrLoad(
    key: string,
    load: () => Value | Promise<Value>,
  ): Promise<{ value: Value; cached: boolean }> {
    const stored = await this.peek(key);
    if (stored !== undefined) {
      this.#hits += 1;
      return { value: stored, cached: true };
    }
    this.#misses += 1;
    const value = await load();
    // Sent before the value is answered, so a later read on the store's connection sees it; its
    // acknowledgement is not waited for (a loaded event loop makes each round trip cost a turn of
    // it), and a failed write only costs a later miss, as a write that failed always did.
    void this.#write(key, value);
    return { value, cached: false };
  }

  /**
   * As `peek`, counted in the hit ratio like `getOrLoad`: a lookup that stands for a computation
   * (a preview asked for by its content's hash). An unknown key is a miss.
   */
  async lookup(key: string | undefined): Promise<Value | undefined> {
    const value = key === undefined ? undefined : await this.peek(key);
    if (value === undefined) this.#misses += 1;
    else this.#hits += 1;
    return value;
  }

  /** A stored value without loading anything; undefined when absent, expired or unreadable. */
  async peek(key: string): Promise<Value | undefined> {
    try {
      const local = this.#local?.get(key);
      if (local !== undefined) {
        if (this.#hearsRemovals || (await this.#cache.has(key))) return local.value;
        this.#local?.delete(key);
        return undefined;
      }
      const raw = await this.#cache.get(key);
      if (raw === undefined) return undefined;
      const parsed = JSON.parse(raw) as Value;
      const value = this.#options.revive ? this.#options.revive(parsed) : parsed;
      this.#remember(key, value, raw.length);
      return value;
    } catch (error) {
      this.#logger.warn({ err: error, key }, `${this.#options.name} cache read failed; loading instead`);
      return undefined;
    }
  }

  /**
   * Removes a stored value, and every process's copy of it; true when there was one. A store
   * outage propagates: the caller decides.
   */
  async evict(key: string): Promise<boolean> {
    this.#local?.delete(key);
    const removed = await this.#cache.delete(key);
    await this.#options.removals?.channel.publish(this.#removalsChannel, key).catch((error: unknown) => {
      this.#logger.warn({ err: error, key }, `${this.#options.name} cache removal not announced`);
    });
    return removed;
  }

  stats(): CacheStats {
    const total = this.#hits + this.#misses;
    return {
      hits: this.#hits,
      misses: this.#misses,
      hitRate: total === 0 ? 0 : this.#hits / total,
      oversize: this.#oversize,
    };
  }

  async #write(key: string, value: Value): Promise<void> {
    const { maxValueBytes, estimateBytes } = this.#options;
    if (maxValueBytes !== undefined && estimateBytes && estimateBytes(value) > maxValueBytes) {
      this.#oversize += 1;
      return;
    }
    try {
      const json = this.#options.serialize?.(value) ?? JSON.stringify(value);
      await this.#cache.set(key, json, this.#options.ttlSeconds);
      // Kept once stored, as if read back: the next request for it neither fetches nor parses it
      // (nor prepares its answer again, which is kept with the value).
      this.#remember(key, value, json.length);
    } catch (error) {
      this.#logger.warn({ err: error, key }, `${this.#options.name} cache write failed; serving uncached`);
    }
  }

  /**
   * Counted by the size of their JSON. A loaded value may also hold the text its strings were
   * sliced from (a preview's chunks cut from their document, when chunked on the event loop): no
   * more than that size again, since the chunks cover the document.
   */
  #remember(key: string, value: Value, size: number): void {
    if (!this.#local || size > this.#local.maxSize) return;
    const expiresAt = this.#options.removals?.expiresAt(value);
    if (expiresAt === undefined) {
      this.#local.set(key, { value }, { size });
      return;
    }
    // Kept no longer than the stored copy lives: a kept value may be served without a check.
    const ttl = Math.min(expiresAt - Date.now(), this.#options.ttlSeconds * 1000);
    if (ttl > 0) this.#local.set(key, { value }, { size, ttl });
  }
}
