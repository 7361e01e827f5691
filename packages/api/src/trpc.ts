import { exceptionTranslator } from '@chunkflow/core-services';
import { runWithCorrelation } from '@chunkflow/errors';
import { initTRPC } from '@trpc/server';
import superjson from 'superjson';
import type { OpenApiMeta } from 'trpc-to-openapi';
import type { AuthedContext, RequestContext } from './context.ts';
import { type ApiErrorData, ApiErrorPresenter } from './error-formatting.ts';

export const errorPresenter = new ApiErrorPresenter(exceptionTranslator);

const t = initTRPC
  .context<RequestContext>()
  .meta<OpenApiMeta>()
  .create({
    transformer: superjson,
    // ctx is undefined when context creation failed; ours never throws, but the id must never be missing.
    errorFormatter({ shape, error, ctx, path }) {
      const applicationError = errorPresenter.toApplicationError(error);
      const data: ApiErrorData = {
        ...errorPresenter.present(applicationError, ctx?.correlationId),
        ...(path === undefined ? {} : { path }),
        ...(applicationError.retryAfter === undefined ? {} : { retryAfter: applicationError.retryAfter }),
      };
      return { code: shape.code, message: data.message, data };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Runs every procedure inside its request's correlation scope, so errors and logs carry the id. */
export const publicProcedure = t.procedure.use(({ ctx, next }) =>
  runWithCorrelation(ctx.correlationId, next),
);

export const authedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const tenant = await ctx.services.auth.authenticate(ctx.apiKey);
  return next({ ctx: { ...ctx, tenant } satisfies AuthedContext });
});
