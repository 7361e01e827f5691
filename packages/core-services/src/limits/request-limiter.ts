import { ApplicationError, RateLimitedError } from '@chunkflow/errors';
import type { RateLimiter } from '@chunkflow/redis-manager';
import type { Logger } from '../ports.ts';
import type { RateLimitClass, RateLimitPolicy } from './rate-limit-policy.ts';

export interface RateLimitObserver {
  rejected(kind: RateLimitClass): void;
  limiterFailed(kind: RateLimitClass): void;
}

/**
 * Admits or refuses one request of an API key for a procedure class. A limiter outage (Redis
 * down) admits the request and logs it: losing rate limits for a moment beats refusing everyone.
 */
export class RequestLimiter {
  readonly #limiter: RateLimiter;
  readonly #policy: RateLimitPolicy;
  readonly #logger: Logger;
  readonly #observer: RateLimitObserver | undefined;

  constructor(limiter: RateLimiter, policy: RateLimitPolicy, logger: Logger, observer?: RateLimitObserver) {
    this.#limiter = limiter;
    this.#policy = policy;
    this.#logger = logger;
    this.#observer = observer;
  }

  /** Throws RateLimitedError (429, retryAfter in whole seconds) when the key's budget is spent. */
  async admit(apiKeyId: string, kind: RateLimitClass): Promise<void> {
    const { limit, windowMs } = this.#policy[kind];
    if (limit === 0) return;
    let decision: Awaited<ReturnType<RateLimiter['consume']>>;
    try {
      decision = await this.#limiter.consume(`${kind}:${apiKeyId}`, limit, windowMs);
    } catch (error) {
      if (!(error instanceof ApplicationError) || !error.isServerError) throw error;
      this.#observer?.limiterFailed(kind);
      this.#logger.warn({ err: error, rateLimitClass: kind }, 'rate limiter unavailable; request admitted');
      return;
    }
    if (decision.allowed) return;
    this.#observer?.rejected(kind);
    throw new RateLimitedError(Math.max(1, Math.ceil(decision.retryAfterMs / 1000)), {
      details: { rateLimitClass: kind, limit, windowSeconds: windowMs / 1000 },
    });
  }

  /**
   * Admits as many of `wanted` items as the key's budget for the class has room for. The refusal
   * that the others answer (RATE_LIMITED, with when to retry) comes with the count; an outage
   * admits all, as `admit` does.
   */
  async admitUpTo(
    apiKeyId: string,
    kind: RateLimitClass,
    wanted: number,
  ): Promise<{ granted: number; refusal?: RateLimitedError }> {
    const { limit, windowMs } = this.#policy[kind];
    if (limit === 0 || wanted === 0) return { granted: wanted };
    let grant: Awaited<ReturnType<RateLimiter['consumeUpTo']>>;
    try {
      grant = await this.#limiter.consumeUpTo(`${kind}:${apiKeyId}`, wanted, limit, windowMs);
    } catch (error) {
      if (!(error instanceof ApplicationError) || !error.isServerError) throw error;
      this.#observer?.limiterFailed(kind);
      this.#logger.warn({ err: error, rateLimitClass: kind }, 'rate limiter unavailable; items admitted');
      return { granted: wanted };
    }
    if (grant.granted === wanted) return { granted: wanted };
    this.#observer?.rejected(kind);
    const refusal = new RateLimitedError(Math.max(1, Math.ceil(grant.retryAfterMs / 1000)), {
      details: { rateLimitClass: kind, limit, windowSeconds: windowMs / 1000 },
    });
    return { granted: grant.granted, refusal };
  }
}
