import { exceptionTranslator } from '@chunkflow/core-services';
import { runWithCorrelation } from '@chunkflow/errors';
import { initTRPC } from '@trpc/server';
import superjson from 'superjson';
import type { AuthedContext, RequestContext } from './context.ts';
import { type ApiErrorData, ApiErrorPresenter, jsonRpcCodeOf } from './error-formatting.ts';
import { withDeadline } from './middleware/deadline.ts';
import type { ApiMeta } from './middleware/meta.ts';
import { observeProcedures } from './middleware/procedure-metrics.ts';
import { rateLimit } from './middleware/rate-limit.ts';
import { recordProcedure, recordTenant } from './middleware/request-facts.ts';

export const errorPresenter = new ApiErrorPresenter(exceptionTranslator);

const t = initTRPC
  .context<RequestContext>()
  .meta<ApiMeta>()
  .create({
    transformer: superjson,
    // ctx is undefined when context creation failed; ours never throws, but the id must never be missing.
    errorFormatter({ error, ctx, path }) {
      const applicationError = errorPresenter.toApplicationError(error);
      const data: ApiErrorData = {
        ...errorPresenter.present(applicationError, ctx?.correlationId),
        ...(path === undefined ? {} : { path }),
        ...(applicationError.retryAfter === undefined ? {} : { retryAfter: applicationError.retryAfter }),
      };
      return { code: jsonRpcCodeOf(data.httpStatus), message: data.message, data };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * Runs every procedure inside its request's correlation scope, so errors and logs carry the id;
 * gives it its deadline (`ctx.signal`); reports its path to the request log and its duration to
 * the metrics.
 */
export const publicProcedure = t.procedure
  .use(({ ctx, next }) => runWithCorrelation(ctx.correlationId, next))
  .use(withDeadline)
  .use(recordProcedure)
  .use(observeProcedures((error) => errorPresenter.toApplicationError(error).httpStatus));

export const authedProcedure = publicProcedure
  .use(async ({ ctx, next }) => {
    const tenant = await ctx.services.auth.authenticate(ctx.apiKey);
    return next({ ctx: { ...ctx, tenant } satisfies AuthedContext });
  })
  .use(recordTenant)
  .use(rateLimit);
