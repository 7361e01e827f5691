import { runWithCorrelation } from '@chunkflow/errors';
import { initTRPC } from '@trpc/server';
import superjson from 'superjson';
import type { AuthedContext, RequestContext } from './context.ts';
import { errorAnswer } from './errors/answer.ts';
import { toApplicationError, translateErrors } from './errors/translate.ts';
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

/**
 * Runs every procedure inside its request's correlation scope, so errors and logs carry the id;
 * reports its path to the request log and its duration to the metrics; translates whatever it
 * throws (once, for everything that reads it later); gives it its deadline (`ctx.signal`).
 */
export const publicProcedure = t.procedure
  .use(({ ctx, next }) => runWithCorrelation(ctx.correlationId, next))
  .use(recordProcedure)
  .use(observeProcedures)
  .use(translateErrors)
  .use(withDeadline);

export const authedProcedure = publicProcedure
  .use(async ({ ctx, next }) => {
    const tenant = await (ctx.authenticate?.() ?? ctx.services.auth.authenticate(ctx.apiKey));
    return next({ ctx: { ...ctx, tenant } satisfies AuthedContext });
  })
  .use(recordTenant)
  .use(rateLimit);

/** The operator's procedures: the operator key (ADMIN_API_KEY), which is no tenant's. */
export const adminProcedure = publicProcedure.use(({ ctx, next }) => {
  ctx.services.keyAdmin.authorize(ctx.apiKey);
  return next();
});
