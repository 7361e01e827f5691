/**
 * Procedure classes share one budget per API key: cheap reads must not be starved by previews,
 * expensive work (compare, apply) gets its own, smaller allowance, and so do writes (uploads,
 * document create/delete), which fill the disk.
 */
export const rateLimitClasses = ['preview', 'compare', 'apply', 'reads', 'writes'] as const;

export type RateLimitClass = (typeof rateLimitClasses)[number];

export interface RateLimitRule {
  /** Requests admitted per window; 0 means the class is not limited. */
  limit: number;
  windowMs: number;
}

export type RateLimitPolicy = Record<RateLimitClass, RateLimitRule>;

const MINUTE_MS = 60_000;

export const DEFAULT_RATE_LIMIT_POLICY: RateLimitPolicy = {
  preview: { limit: 120, windowMs: MINUTE_MS },
  compare: { limit: 30, windowMs: MINUTE_MS },
  apply: { limit: 30, windowMs: MINUTE_MS },
  reads: { limit: 600, windowMs: MINUTE_MS },
  writes: { limit: 120, windowMs: MINUTE_MS },
};
