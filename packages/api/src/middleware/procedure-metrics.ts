import { experimental_standaloneMiddleware } from '@trpc/server';
import type { RequestContext } from '../context.ts';
import { toApplicationError } from '../errors/translate.ts';

/**
 * Times every query and mutation into `chunkflow_procedure_duration_seconds` by path, type and
 * the HTTP status its outcome answers. Subscriptions are skipped: they last as long as the client.
 */
export const observeProcedures = experimental_standaloneMiddleware<{ ctx: RequestContext }>().create(
  async ({ ctx, path, type, next }) => {
    if (type === 'subscription') return next();
    const started = performance.now();
    const result = await next();
    const status = result.ok ? 200 : toApplicationError(result.error).httpStatus;
    ctx.services.metrics.observeProcedure(path, type, status, (performance.now() - started) / 1000);
    return result;
  },
);
