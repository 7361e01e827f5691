import {
  appRouter,
  buildOpenApiDocument,
  errorAnswer,
  procedureMetas,
  REST_BASE_PATH,
  toApplicationError,
} from '@chunkflow/api';
import type { Services } from '@chunkflow/core-services';
import { ValidationError } from '@chunkflow/errors';
import fastifySwagger, { type StaticDocumentSpec } from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { AnyTRPCRouter, TRPCError } from '@trpc/server';
import { type FastifyTRPCPluginOptions, fastifyTRPCPlugin } from '@trpc/server/adapters/fastify';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import { type CreateOpenApiFastifyPluginOptions, fastifyTRPCOpenApiPlugin } from 'trpc-to-openapi';
import { contextFactory } from './context.ts';
import { MAX_JSON_DEPTH, textExceedsDepth } from './json-depth.ts';
import { restServedAnswers, type ServedAnswerHooks, trpcServedAnswers } from './served-answers.ts';

interface ProcedureFailure {
  error: TRPCError;
  path?: string | undefined;
  ctx?: { correlationId: string } | undefined;
}

export interface ProcedureServingOptions {
  services: Services;
  logger: FastifyBaseLogger;
  maxBatchSize: number;
}

export interface ProcedureRouteOptions extends ProcedureServingOptions {
  version: string;
}

/** Deepest tRPC input: the REST limit plus the envelope levels of a batch (`{"0":{"json":…}}`). */
const MAX_TRPC_JSON_DEPTH = MAX_JSON_DEPTH + 3;

function tooDeep(): ValidationError {
  return new ValidationError(`JSON input nested deeper than ${MAX_JSON_DEPTH} levels`);
}

/**
 * Refuses over-deep tRPC input (a body, or a query's `input`) before tRPC deserialises it:
 * superjson's recursion overflowed the stack on it, and the overflow's text reached the client.
 * tRPC's plugin keeps JSON bodies as text, so the check runs on the text.
 */
function refuseDeepInput(scope: FastifyInstance): void {
  const exceeds = (text: unknown) => typeof text === 'string' && textExceedsDepth(text, MAX_TRPC_JSON_DEPTH);
  scope.addHook('onRequest', (request, _reply, done) => {
    done(exceeds((request.query as { input?: unknown }).input) ? tooDeep() : undefined);
  });
  scope.addHook('preValidation', (request, _reply, done) => {
    done(exceeds(request.body) ? tooDeep() : undefined);
  });
}

/** The API's procedures twice, tRPC at /trpc and REST at /api/v2, with its OpenAPI document. */
export function registerProcedureRoutes(app: FastifyInstance, options: ProcedureRouteOptions): void {
  serveProcedures(app, appRouter, options);
  registerApiDocs(app, options.version);
}

/** Logs a procedure's server-side failure with its path (refusals are the caller's business). */
export function procedureFailureLogger(logger: FastifyBaseLogger) {
  return ({ error, path, ctx }: ProcedureFailure) => {
    if (toApplicationError(error).isServerError) {
      logger.error({ err: error, path, correlationId: ctx?.correlationId }, 'procedure failed');
    }
  };
}

/** The procedures of `router` (the API's, or a test's built the same way) at /trpc and /api/v2. */
export function serveProcedures(
  app: FastifyInstance,
  router: AnyTRPCRouter,
  options: ProcedureServingOptions,
): void {
  const createContext = contextFactory(options.services);
  const logFailure = procedureFailureLogger(options.logger);

  // A subscription refused for its key is answered 200 with an error event, not a 401: count it here.
  const onTrpcError = (failure: ProcedureFailure & { type: string; req: FastifyRequest }) => {
    logFailure(failure);
    if (failure.type === 'subscription' && toApplicationError(failure.error).code === 'UNAUTHORIZED') {
      options.services.quotas.authFailures
        .recordFailure(failure.req.ip)
        .catch((error: unknown) => options.logger.warn({ err: error }, 'failed authentication not counted'));
    }
  };

  // The API's cacheable procedures answer single calls with their prepared text (served-answers.ts).
  const servedHooks: ServedAnswerHooks | undefined =
    router === appRouter
      ? { createContext: (req) => createContext({ req }), logFailure: (failure) => logFailure(failure) }
      : undefined;

  void app.register(async (scope) => {
    refuseDeepInput(scope);
    if (servedHooks) scope.addHook('preHandler', trpcServedAnswers(servedHooks));
    await scope.register(fastifyTRPCPlugin, {
      prefix: '/trpc',
      trpcOptions: {
        router,
        createContext,
        maxBatchSize: options.maxBatchSize,
        onError: onTrpcError,
        // tRPC writes the status and body (from the error formatter); the headers come from the same answer.
        responseMeta: ({ errors: [first], ctx }) =>
          first
            ? {
                headers: errorAnswer(toApplicationError(first), { correlationId: ctx?.correlationId })
                  .headers,
              }
            : {},
      } satisfies FastifyTRPCPluginOptions<AnyTRPCRouter>['trpcOptions'],
    });
  });

  const metas = procedureMetas(router);
  void app.register(async (scope) => {
    if (servedHooks) scope.addHook('preHandler', restServedAnswers(servedHooks));
    await scope.register(fastifyTRPCOpenApiPlugin, {
      basePath: REST_BASE_PATH,
      router,
      createContext,
      // Only successes reach it (failures are thrown below): the status the procedure declares.
      responseMeta: ({ paths: [path = ''] = [] }) => ({ status: metas.get(path)?.successStatus ?? 200 }),
      // Thrown out of the adapter (its hook runs before it writes an answer of its own): Fastify's
      // error handler answers, like every other failure.
      onError: (failure) => {
        logFailure(failure);
        throw failure.error;
      },
    } satisfies CreateOpenApiFastifyPluginOptions<AnyTRPCRouter>);
  });
}

/** The OpenAPI document at /api/v2/openapi.json, and Swagger UI over it at /api/v2/docs. */
function registerApiDocs(app: FastifyInstance, version: string): void {
  const openApiDocument = buildOpenApiDocument(version);
  app.get(`${REST_BASE_PATH}/openapi.json`, async () => openApiDocument);
  // Interactive docs (Swagger UI, served from local assets) over the same document.
  // The same JSON, described by two OpenAPI typings (openapi3-ts vs openapi-types).
  const document = openApiDocument as unknown as StaticDocumentSpec['document'];
  void app.register(fastifySwagger, { mode: 'static', specification: { document } });
  void app.register(fastifySwaggerUi, { routePrefix: `${REST_BASE_PATH}/docs` });
}
