import { LRUCache } from 'lru-cache';
import { assertRateLimit } from '../port-arguments.ts';
import type { RateLimitDecision, RateLimiter } from '../ports.ts';
import { type Clock, monotonicClock } from './clock.ts';

export interface MemoryRateLimiterOptions {
  /** Keys tracked at once; evicting the least recent one forgets its history (it is then allowed more). */
  maxKeys?: number;
  clock?: Clock;
}

/** In-process sliding-window log (embedded mode), the same algorithm the Redis limiter runs in Lua. */
export class MemoryRateLimiter implements RateLimiter {
  readonly #logs: LRUCache<string, number[]>;
  readonly #clock: Clock;

  constructor(options: MemoryRateLimiterOptions = {}) {
    this.#clock = options.clock ?? monotonicClock;
    this.#logs = new LRUCache<string, number[]>({ max: options.maxKeys ?? 100_000, perf: this.#clock });
  }

  async consume(key: string, limit: number, windowMs: number, count = 1): Promise<RateLimitDecision> {
    assertRateLimit(limit, windowMs, count);
    const now = this.#clock.now();
    // Admission times still inside the window, oldest first.
    const log = (this.#logs.get(key) ?? []).filter((admittedAt) => admittedAt > now - windowMs);
    if (log.length < limit) {
      const granted = Math.min(count, limit - log.length);
      for (let admission = 0; admission < granted; admission++) log.push(now);
      this.#logs.set(key, log, { ttl: windowMs });
      return { allowed: true, granted, remaining: limit - log.length, retryAfterMs: 0 };
    }
    this.#logs.set(key, log, { noUpdateTTL: true });
    // Once this admission leaves the window, fewer than `limit` remain.
    const blocking = log[log.length - limit] ?? now;
    return { allowed: false, granted: 0, remaining: 0, retryAfterMs: blocking + windowMs - now };
  }
}
