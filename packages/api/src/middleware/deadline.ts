import type { Deadline } from '@chunkflow/core-services';
import { experimental_standaloneMiddleware } from '@trpc/server';
import type { RequestContext } from '../context.ts';

/**
 * A call's deadline (see withDeadline) for a transport that holds the client's abort controller:
 * the spent budget aborts that controller, so the work gets one signal that either ends, and no
 * combined signal is built (AbortSignal.any, with its weak references, costs ~20 µs a call on
 * Node 20) nor a second controller and its listener.
 */
export function deadlineOnto(ctx: RequestContext, path: string, client: AbortController): Deadline {
  return ctx.services.requestBudget.startOn(path, client);
}

/**
 * Gives every query and mutation `ctx.signal`: the client's own abort signal (tRPC's, which fires
 * when the connection closes) combined with the server's per-request time budget. Procedures pass
 * it to the work that can run long; when the budget is spent the call answers BUDGET_EXCEEDED
 * (422), when the client went away CANCELLED. Subscriptions last as long as their client: no budget.
 */
export const withDeadline = experimental_standaloneMiddleware<{ ctx: RequestContext }>().create(
  async ({ ctx, path, type, signal, next }) => {
    if (type === 'subscription') return next({ ctx: { signal } });
    const deadline = ctx.services.requestBudget.start(path, signal);
    try {
      return await next({ ctx: { signal: deadline.signal } });
    } finally {
      deadline.dispose();
    }
  },
);
