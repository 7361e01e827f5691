import { experimental_standaloneMiddleware } from '@trpc/server';
import type { AuthedContext } from '../context.ts';

/** At most MAX_UPLOADS_PER_KEY uploads of one key in flight (RATE_LIMITED above), freed when one ends. */
export const boundedUploads = experimental_standaloneMiddleware<{ ctx: AuthedContext }>().create(
  async ({ ctx, next }) => {
    const release = ctx.services.quotas.uploads.acquire(ctx.tenant.apiKeyId);
    try {
      return await next();
    } finally {
      release();
    }
  },
);
