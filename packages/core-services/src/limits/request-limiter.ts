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
}
