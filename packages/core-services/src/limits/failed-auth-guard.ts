import { ApplicationError, RateLimitedError } from '@chunkflow/errors';
import type { RateLimiter } from '@chunkflow/redis-manager';
import type { Logger } from '../ports.ts';
import type { RateLimitRule } from './rate-limit-policy.ts';

/** Blocked addresses remembered at most; the oldest block is forgotten first. */
const MAX_BLOCKED_ADDRESSES = 10_000;

/**
 * Throttles key guessing: failed authentications are counted per client address (in the shared
 * limiter, so across servers in services mode), and an address over its budget is refused with
 * RATE_LIMITED until the window lets it in again. `check` is a local lookup with no I/O, so a
 * blocked client is turned away before its request costs a database lookup or a body read.
 */
export class FailedAuthGuard {
  readonly #limiter: RateLimiter;
  readonly #rule: RateLimitRule;
  readonly #logger: Logger;
  /** Address → monotonic time (ms) its block ends. */
  readonly #blockedUntil = new Map<string, number>();

  constructor(limiter: RateLimiter, rule: RateLimitRule, logger: Logger) {
    this.#limiter = limiter;
    this.#rule = rule;
    this.#logger = logger;
  }

  /** Throws RateLimitedError (429, retryAfter in whole seconds) while the address is blocked. */
  check(address: string): void {
    const until = this.#blockedUntil.get(address);
    if (until === undefined) return;
    const remainingMs = until - performance.now();
    if (remainingMs <= 0) {
      this.#blockedUntil.delete(address);
      return;
    }
    throw new RateLimitedError(Math.max(1, Math.ceil(remainingMs / 1000)), {
      details: {
        reason: 'too many failed authentications from this address',
        limit: this.#rule.limit,
        windowSeconds: this.#rule.windowMs / 1000,
      },
    });
  }

  /** Counts one failed authentication of the address; blocks it once its budget is spent. */
  async recordFailure(address: string): Promise<void> {
    if (this.#rule.limit === 0) return;
    let decision: Awaited<ReturnType<RateLimiter['consume']>>;
    try {
      decision = await this.#limiter.consume(
        `auth-failures:${address}`,
        this.#rule.limit,
        this.#rule.windowMs,
      );
    } catch (error) {
      // A limiter outage must not turn failed logins into 500s; they are simply not counted.
      if (!(error instanceof ApplicationError) || !error.isServerError) throw error;
      this.#logger.warn({ err: error }, 'rate limiter unavailable; failed authentication not counted');
      return;
    }
    if (!decision.allowed) this.#block(address, decision.retryAfterMs);
  }

  #block(address: string, durationMs: number): void {
    this.#blockedUntil.delete(address);
    if (this.#blockedUntil.size >= MAX_BLOCKED_ADDRESSES) {
      const oldest = this.#blockedUntil.keys().next().value;
      if (oldest !== undefined) this.#blockedUntil.delete(oldest);
    }
    this.#blockedUntil.set(address, performance.now() + durationMs);
  }
}
