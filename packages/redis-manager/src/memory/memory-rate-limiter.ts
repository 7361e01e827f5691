import { LRUCache } from 'lru-cache';
import { assertRateLimit, assertWanted } from '../port-arguments.ts';
import type { RateLimitDecision, RateLimiter, RateLimitGrant } from '../ports.ts';
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

  async consume(key: string, limit: number, windowMs: number): Promise<RateLimitDecision> {
    assertRateLimit(limit, windowMs);
    const now = this.#clock.now();
    // Admission times still inside the window, oldest first.
    const log = (this.#logs.get(key) ?? []).filter((admittedAt) => admittedAt > now - windowMs);
    if (log.length < limit) {
      log.push(now);
      this.#logs.set(key, log, { ttl: windowMs });
      return { allowed: true, remaining: limit - log.length, retryAfterMs: 0 };
    }
    this.#logs.set(key, log, { noUpdateTTL: true });
    // Once this admission leaves the window, fewer than `limit` remain.
    const blocking = log[log.length - limit] ?? now;
    return { allowed: false, remaining: 0, retryAfterMs: blocking + windowMs - now };
  }

  async consumeUpTo(key: string, wanted: number, limit: number, windowMs: number): Promise<RateLimitGrant> {
    assertRateLimit(limit, windowMs);
    assertWanted(wanted);
    if (wanted === 0) return { granted: 0, retryAfterMs: 0 };
    const now = this.#clock.now();
    const log = (this.#logs.get(key) ?? []).filter((admittedAt) => admittedAt > now - windowMs);
    const granted = Math.max(0, Math.min(wanted, limit - log.length));
    for (let i = 0; i < granted; i += 1) log.push(now);
    this.#logs.set(key, log, granted > 0 ? { ttl: windowMs } : { noUpdateTTL: true });
    if (granted === wanted) return { granted, retryAfterMs: 0 };
    const blocking = log[log.length - limit] ?? now;
    return { granted, retryAfterMs: blocking + windowMs - now };
  }
}
