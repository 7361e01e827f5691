import { LRUCache } from 'lru-cache';
import { assertTtlSeconds } from '../port-arguments.ts';
import type { CacheValue, KeyValueCache } from '../ports.ts';
import { type Clock, monotonicClock } from './clock.ts';

export interface MemoryCacheOptions {
  maxEntries: number;
  /** Total bytes held; least recently used entries go first, and a larger single value is not kept. */
  maxBytes?: number;
  clock?: Clock;
}

/** In-process KeyValueCache (embedded mode): bounded LRU with per-entry TTL. */
export class MemoryCache implements KeyValueCache {
  readonly #entries: LRUCache<string, CacheValue>;

  constructor(options: MemoryCacheOptions) {
    this.#entries = new LRUCache<string, CacheValue>({
      max: options.maxEntries,
      maxSize: options.maxBytes ?? 64 * 1024 * 1024,
      sizeCalculation: (value) => Buffer.byteLength(value),
      perf: options.clock ?? monotonicClock,
    });
  }

  async get(key: string): Promise<string | undefined> {
    const value = this.#entries.get(key);
    return typeof value === 'string' ? value : value?.toString('utf8');
  }

  async getBuffer(key: string): Promise<Buffer | undefined> {
    const value = this.#entries.get(key);
    // A copy, as Redis would hand out: callers may not change what is cached.
    return value === undefined ? undefined : Buffer.from(value);
  }

  async set(key: string, value: CacheValue, ttlSeconds: number): Promise<void> {
    assertTtlSeconds(ttlSeconds);
    this.#entries.set(key, typeof value === 'string' ? value : Buffer.from(value), {
      ttl: ttlSeconds * 1000,
    });
  }

  async has(key: string): Promise<boolean> {
    // `has` ignores expired entries and does not count as a use.
    return this.#entries.has(key);
  }

  async delete(key: string): Promise<boolean> {
    // `has` ignores expired entries, like Redis DEL does.
    const existed = this.#entries.has(key);
    this.#entries.delete(key);
    return existed;
  }
}
