import type { Settings } from '../settings/settings.ts';

/**
 * Procedure classes share one budget per API key: cheap reads must not be starved by previews,
 * expensive work (compare, apply) gets its own, smaller allowance, and so do writes (uploads,
 * document create/delete), which fill the disk. `documents` counts the items of bulk writes, one
 * each, so a batch costs what its documents do (the request itself is one write).
 */
export const rateLimitClasses = ['preview', 'compare', 'apply', 'reads', 'writes', 'documents'] as const;

export type RateLimitClass = (typeof rateLimitClasses)[number];

export interface RateLimitRule {
  /** Requests admitted per window; 0 means the class is not limited. */
  limit: number;
  windowMs: number;
}

export type RateLimitPolicy = Record<RateLimitClass, RateLimitRule>;

/** The per-class rules the request quotas' settings describe, all over one sliding window. */
export function rateLimitPolicyFrom(quotas: Settings['requestQuotas']): RateLimitPolicy {
  const windowMs = quotas.windowSeconds * 1000;
  return Object.fromEntries(
    rateLimitClasses.map((kind) => [kind, { limit: quotas[kind], windowMs }]),
  ) as RateLimitPolicy;
}
