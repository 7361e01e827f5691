export { ServedAnswer } from './answers/served-answer.ts';
export type { ServedCall } from './answers/served-call.ts';
export type { AuthedContext, RequestContext } from './context.ts';
export { errorAnswer, trpcErrorBody } from './errors/answer.ts';
export { toApplicationError } from './errors/translate.ts';
export { boundedSubscriptions } from './middleware/bounded-subscriptions.ts';
export { type ApiMeta, procedureMetas } from './middleware/meta.ts';
export { type RequestFacts, runWithRequestFacts } from './middleware/request-facts.ts';
export { buildOpenApiDocument, REST_BASE_PATH } from './openapi.ts';
export { type AppRouter, appRouter } from './root.ts';
export { servedCalls } from './routers/chunking/served.ts';
export { bodyRouter, createBodyCaller } from './routers/uploads.ts';
export {
  type BulkItemResultLine,
  bulkItemResultSchema,
  IMPORT_CONTENT_TYPE,
  importEndLineSchema,
} from './schemas/bulk-documents.ts';
export {
  EXPORT_CONTENT_TYPE,
  type ExportLine,
  exportLineSchema,
  exportQuerySchema,
} from './schemas/export.ts';
export { applyInputSchema } from './schemas/operations.ts';
export { createCallerFactory } from './trpc.ts';
