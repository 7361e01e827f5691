import {
  MemoryRateLimiter,
  type RateLimiter,
  type RedisManager,
  RedisRateLimiter,
} from '@chunkflow/redis-manager';
import type { Logger } from '../ports.ts';
import type { LimitSettings } from './environment.ts';
import { FailedAuthGuard } from './failed-auth-guard.ts';
import { KeySlots } from './key-slots.ts';
import { DEFAULT_RATE_LIMIT_POLICY } from './rate-limit-policy.ts';
import { type RateLimitObserver, RequestLimiter } from './request-limiter.ts';

/** The limits procedures (through the api middleware) and the HTTP edge enforce. */
export interface Limits {
  requests: RequestLimiter;
  subscriptions: KeySlots;
  uploads: KeySlots;
  authFailures: FailedAuthGuard;
}

export interface LimitDependencies {
  /** Shared by every server process in services mode; in-process otherwise (default). */
  rateLimiter?: RateLimiter | undefined;
  settings?: Partial<LimitSettings> | undefined;
  logger: Logger;
  observer?: RateLimitObserver | undefined;
}

const DEFAULT_MAX_SUBSCRIPTIONS_PER_KEY = 10;
const DEFAULT_MAX_UPLOADS_PER_KEY = 4;
const DEFAULT_AUTH_FAILURES = { limit: 30, windowMs: 60_000 };

/** Redis-backed when the process has Redis, so limits hold across servers; in-process otherwise. */
export function rateLimiterFor(redis: RedisManager | undefined): RateLimiter {
  return redis ? new RedisRateLimiter(redis) : new MemoryRateLimiter();
}

export function createLimits(dependencies: LimitDependencies): Limits {
  const settings = dependencies.settings ?? {};
  const rateLimiter = dependencies.rateLimiter ?? new MemoryRateLimiter();
  return {
    requests: new RequestLimiter(
      rateLimiter,
      settings.rateLimits ?? DEFAULT_RATE_LIMIT_POLICY,
      dependencies.logger,
      dependencies.observer,
    ),
    subscriptions: new KeySlots(
      settings.maxSubscriptionsPerKey ?? DEFAULT_MAX_SUBSCRIPTIONS_PER_KEY,
      'subscriptions',
    ),
    uploads: new KeySlots(settings.maxUploadsPerKey ?? DEFAULT_MAX_UPLOADS_PER_KEY, 'uploads'),
    authFailures: new FailedAuthGuard(
      rateLimiter,
      settings.authFailures ?? DEFAULT_AUTH_FAILURES,
      dependencies.logger,
    ),
  };
}
