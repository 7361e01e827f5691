import { z } from 'zod';
import type { RateLimitPolicy, RateLimitRule } from './rate-limit-policy.ts';

const requestsPerWindow = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

/** Limit settings of the server (docs/configuration.md); merged into its environment schema. */
export const limitsEnvironmentSchema = z.object({
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().positive().default(60),
  RATE_LIMIT_PREVIEW: requestsPerWindow(120),
  RATE_LIMIT_COMPARE: requestsPerWindow(30),
  RATE_LIMIT_APPLY: requestsPerWindow(30),
  RATE_LIMIT_READS: requestsPerWindow(600),
  /** Uploads and document creates/deletes per key. */
  RATE_LIMIT_WRITES: requestsPerWindow(120),
  /** Failed authentications per client address; past it the address is refused until the window frees. */
  RATE_LIMIT_AUTH_FAILURES: requestsPerWindow(30),
  MAX_SSE_CONNECTIONS_PER_KEY: z.coerce.number().int().positive().default(10),
  /** Uploads one key may have in flight at once in a server process. */
  MAX_UPLOADS_PER_KEY: z.coerce.number().int().positive().default(4),
});

export type LimitsEnvironment = z.infer<typeof limitsEnvironmentSchema>;

export interface LimitSettings {
  rateLimits: RateLimitPolicy;
  /** Per client address, not per key. */
  authFailures: RateLimitRule;
  maxSubscriptionsPerKey: number;
  maxUploadsPerKey: number;
}

export function limitSettingsFrom(environment: LimitsEnvironment): LimitSettings {
  const windowMs = environment.RATE_LIMIT_WINDOW_SECONDS * 1000;
  return {
    rateLimits: {
      preview: { limit: environment.RATE_LIMIT_PREVIEW, windowMs },
      compare: { limit: environment.RATE_LIMIT_COMPARE, windowMs },
      apply: { limit: environment.RATE_LIMIT_APPLY, windowMs },
      reads: { limit: environment.RATE_LIMIT_READS, windowMs },
      writes: { limit: environment.RATE_LIMIT_WRITES, windowMs },
    },
    authFailures: { limit: environment.RATE_LIMIT_AUTH_FAILURES, windowMs },
    maxSubscriptionsPerKey: environment.MAX_SSE_CONNECTIONS_PER_KEY,
    maxUploadsPerKey: environment.MAX_UPLOADS_PER_KEY,
  };
}
