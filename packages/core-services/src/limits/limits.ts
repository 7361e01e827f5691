import {
  MemoryRateLimiter,
  type RateLimiter,
  type RedisManager,
  RedisRateLimiter,
} from '@chunkflow/redis-manager';
import type { Logger } from '../ports.ts';
import type { LimitSettings } from './environment.ts';
import { DEFAULT_RATE_LIMIT_POLICY } from './rate-limit-policy.ts';
import { type RateLimitObserver, RequestLimiter } from './request-limiter.ts';
import { SubscriptionSlots } from './subscription-slots.ts';

/** The per-key limits procedures enforce (through the api middleware). */
export interface Limits {
  requests: RequestLimiter;
  subscriptions: SubscriptionSlots;
}

export interface LimitDependencies {
  /** Shared by every server process in services mode; in-process otherwise (default). */
  rateLimiter?: RateLimiter | undefined;
  settings?: Partial<LimitSettings> | undefined;
  logger: Logger;
  observer?: RateLimitObserver | undefined;
}

const DEFAULT_MAX_SUBSCRIPTIONS_PER_KEY = 10;

/** Redis-backed when the process has Redis, so limits hold across servers; in-process otherwise. */
export function rateLimiterFor(redis: RedisManager | undefined): RateLimiter {
  return redis ? new RedisRateLimiter(redis) : new MemoryRateLimiter();
}

export function createLimits(dependencies: LimitDependencies): Limits {
  const settings = dependencies.settings ?? {};
  return {
    requests: new RequestLimiter(
      dependencies.rateLimiter ?? new MemoryRateLimiter(),
      settings.rateLimits ?? DEFAULT_RATE_LIMIT_POLICY,
      dependencies.logger,
      dependencies.observer,
    ),
    subscriptions: new SubscriptionSlots(
      settings.maxSubscriptionsPerKey ?? DEFAULT_MAX_SUBSCRIPTIONS_PER_KEY,
    ),
  };
}
