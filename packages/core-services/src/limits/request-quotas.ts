import {
  MemoryRateLimiter,
  type RateLimiter,
  type RedisManager,
  RedisRateLimiter,
} from '@chunkflow/redis-manager';
import type { Logger } from '../ports.ts';
import type { Settings } from '../settings/settings.ts';
import { FailedAuthGuard } from './failed-auth-guard.ts';
import { KeySlots } from './key-slots.ts';
import { LeasedAdmissions } from './leased-admissions.ts';
import { rateLimitPolicyFrom } from './rate-limit-policy.ts';
import { type RateLimitObserver, RequestLimiter } from './request-limiter.ts';

/**
 * How much each API key (and client address) may ask of a server: calls per window by procedure
 * class, open streams and uploads in flight, failed authentications. Procedures (through the api
 * middleware) and the HTTP edge enforce them.
 */
export interface RequestQuotas {
  requests: RequestLimiter;
  subscriptions: KeySlots;
  uploads: KeySlots;
  authFailures: FailedAuthGuard;
}

/** Redis-backed when the process has Redis, so quotas hold across servers; in-process otherwise. */
export function rateLimiterFor(redis: RedisManager | undefined): RateLimiter {
  return redis ? new RedisRateLimiter(redis) : new MemoryRateLimiter();
}

export function createRequestQuotas(
  settings: Settings['requestQuotas'],
  dependencies: { rateLimiter: RateLimiter; logger: Logger; observer?: RateLimitObserver | undefined },
): RequestQuotas {
  const { rateLimiter, logger } = dependencies;
  const policy = rateLimitPolicyFrom(settings);
  return {
    // A busy key's requests take their admissions a lease at a time: no round trip per request.
    requests: new RequestLimiter(new LeasedAdmissions(rateLimiter), policy, logger, dependencies.observer),
    subscriptions: new KeySlots(settings.subscriptionsPerKey, 'subscriptions'),
    uploads: new KeySlots(settings.uploadsPerKey, 'uploads'),
    authFailures: new FailedAuthGuard(
      rateLimiter,
      { limit: settings.authFailures, windowMs: settings.windowSeconds * 1000 },
      logger,
    ),
  };
}
