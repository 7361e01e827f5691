import { runWithCorrelation } from '@chunkflow/errors';
import { initTRPC } from '@trpc/server';
import superjson from 'superjson';
import type { RequestContext } from './context.ts';
import { errorAnswer } from './errors/answer.ts';
import { toApplicationError, translateErrors } from './errors/translate.ts';
import { authenticate } from './middleware/authenticate.ts';
import { withDeadline } from './middleware/deadline.ts';
import type { ApiMeta } from './middleware/meta.ts';
import { observeProcedures } from './middleware/procedure-metrics.ts';
import { rateLimit } from './middleware/rate-limit.ts';
import { recordProcedure, recordTenant } from './middleware/request-facts.ts';

const t = initTRPC
  .context<RequestContext>()
  .meta<ApiMeta>()
  .create({
    transformer: superjson,
    // ctx is undefined when context creation failed; ours never throws, and the answer falls back
    // to the correlation scope's id.
    errorFormatter: ({ error, ctx, path }) =>
      errorAnswer(toApplicationError(error), { correlationId: ctx?.correlationId, path }).trpc,
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Runs the rest of the call in its request's correlation scope. */
export function inCorrelationScope<T>({ ctx, next }: { ctx: RequestContext; next: () => T }): T {
  return runWithCorrelation(ctx.correlationId, next);
}

/**
 * Runs every procedure inside its request's correlation scope, so errors and logs carry the id;
 * reports its path to the request log and its duration to the metrics; translates whatever it
 * throws (once, for everything that reads it later); gives it its deadline (`ctx.signal`).
 */
export const publicProcedure = t.procedure
  .use(inCorrelationScope)
  .use(recordProcedure)
  .use(observeProcedures)
  .use(translateErrors)
  .use(withDeadline);

export const authedProcedure = publicProcedure.use(authenticate).use(recordTenant).use(rateLimit);

/** The operator's procedures: the operator key (ADMIN_API_KEY), which is no tenant's. */
export const adminProcedure = publicProcedure.use(({ ctx, next }) => {
  ctx.services.keyAdmin.authorize(ctx.apiKey);
  return next();
});
