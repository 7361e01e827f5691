import { experimental_standaloneMiddleware } from '@trpc/server';
import type { AuthedContext } from '../context.ts';
import type { ApiMeta } from './meta.ts';

/** Counts a call against its API key's budget for the procedure's class (RATE_LIMITED when spent). */
export function admitCall(ctx: AuthedContext, meta: ApiMeta | undefined): Promise<void> {
  return ctx.services.quotas.requests.admit(ctx.tenant.apiKeyId, meta?.rateLimit ?? 'reads');
}

export const rateLimit = experimental_standaloneMiddleware<{ ctx: AuthedContext; meta: ApiMeta }>().create(
  async ({ ctx, meta, next }) => {
    await admitCall(ctx, meta);
    return next();
  },
);
