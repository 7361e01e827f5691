import { tracked } from '@trpc/server';
import { boundedSubscriptions } from '../middleware/bounded-subscriptions.ts';
import {
  listOperationsInputSchema,
  operationIdInputSchema,
  operationPageSchema,
  operationSchema,
  progressInputSchema,
} from '../schemas/operations.ts';
import { authedProcedure, router } from '../trpc.ts';

const tags = ['operations'];

export const operationsRouter = router({
  get: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/operations/{id}', tags } })
    .input(operationIdInputSchema)
    .output(operationSchema)
    .query(({ ctx, input }) => ctx.services.operations.get(ctx.tenant, input.id)),

  list: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/operations', tags } })
    .input(listOperationsInputSchema)
    .output(operationPageSchema)
    .query(({ ctx, input }) => ctx.services.operations.list(ctx.tenant, input)),

  cancel: authedProcedure
    .meta({ openapi: { method: 'DELETE', path: '/operations/{id}', tags } })
    .input(operationIdInputSchema)
    .output(operationSchema)
    .mutation(({ ctx, input }) => ctx.services.operations.cancel(ctx.tenant, input.id)),

  /** Server-sent events, resumable: each event's id comes back as `lastEventId` on reconnect. */
  progress: authedProcedure
    .use(boundedSubscriptions)
    .input(progressInputSchema)
    .subscription(({ ctx, input, signal }) =>
      ctx.services.operations.progress(ctx.tenant, input, tracked, signal),
    ),
});
