import type { AuthenticatedTenant } from '@chunkflow/core-services';
import { experimental_standaloneMiddleware } from '@trpc/server';
import type { AuthedContext, RequestContext } from '../context.ts';

/** The caller's tenant: the transport's lookup for this request, else the key's own (UNAUTHORIZED when none). */
export function callerTenant(ctx: RequestContext): Promise<AuthenticatedTenant> {
  return ctx.authenticate?.() ?? ctx.services.auth.authenticate(ctx.apiKey);
}

export const authenticate = experimental_standaloneMiddleware<{ ctx: RequestContext }>().create(
  async ({ ctx, next }) => next({ ctx: { ...ctx, tenant: await callerTenant(ctx) } satisfies AuthedContext }),
);
