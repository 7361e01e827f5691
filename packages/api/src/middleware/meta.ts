import type { RateLimitClass } from '@chunkflow/core-services';
import type { AnyTRPCRouter } from '@trpc/server';
import type { OpenApiMeta } from 'trpc-to-openapi';

/**
 * What a procedure declares about itself in `.meta()`: its REST mapping, the status its REST call
 * answers on success (200 when not set; 202 for work accepted to run later), and the rate-limit
 * class its calls count against (`reads` when not set).
 */
export type ApiMeta = OpenApiMeta & { successStatus?: 200 | 201 | 202; rateLimit?: RateLimitClass };

/** The meta of each procedure of `router`, by its dotted path. */
export function procedureMetas(router: AnyTRPCRouter): Map<string, ApiMeta> {
  const procedures = router._def.procedures as Record<string, { _def: { meta?: ApiMeta } }>;
  return new Map(Object.entries(procedures).map(([path, procedure]) => [path, procedure._def.meta ?? {}]));
}
