import { experimental_standaloneMiddleware } from '@trpc/server';
import type { RequestContext } from '../context.ts';
import { toApplicationError } from '../errors/translate.ts';

/** Records one call's duration (from `startedMs`) and the status its outcome answers. */
export function observeCall(
  ctx: RequestContext,
  call: { path: string; type: string; startedMs: number },
  failure?: unknown,
): void {
  const status = failure === undefined ? 200 : toApplicationError(failure).httpStatus;
  ctx.services.metrics.observeProcedure(
    call.path,
    call.type,
    status,
    (performance.now() - call.startedMs) / 1000,
  );
}

/**
 * Times every query and mutation into `chunkflow_procedure_duration_seconds` by path, type and
 * the HTTP status its outcome answers. Subscriptions are skipped: they last as long as the client.
 */
export const observeProcedures = experimental_standaloneMiddleware<{ ctx: RequestContext }>().create(
  async ({ ctx, path, type, next }) => {
    if (type === 'subscription') return next();
    const startedMs = performance.now();
    const result = await next();
    observeCall(ctx, { path, type, startedMs }, result.ok ? undefined : result.error);
    return result;
  },
);
