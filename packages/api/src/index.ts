export type { AuthedContext, RequestContext } from './context.ts';
export { type ApiErrorData, trpcErrorResponse } from './error-formatting.ts';
export { boundedSubscriptions } from './middleware/bounded-subscriptions.ts';
export type { ApiMeta } from './middleware/meta.ts';
export { type RequestFacts, runWithRequestFacts } from './middleware/request-facts.ts';
export { buildOpenApiDocument, REST_BASE_PATH } from './openapi.ts';
export { type AppRouter, appRouter } from './root.ts';
export { applyInputSchema } from './schemas/operations.ts';
export { createCallerFactory, errorPresenter } from './trpc.ts';
