export type { AuthedContext, RequestContext } from './context.ts';
export type { ApiErrorData } from './error-formatting.ts';
export { buildOpenApiDocument, REST_BASE_PATH } from './openapi.ts';
export { type AppRouter, appRouter } from './root.ts';
export { createCallerFactory, errorPresenter } from './trpc.ts';
