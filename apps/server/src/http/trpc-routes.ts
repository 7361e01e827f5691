import { appRouter, buildOpenApiDocument, errorPresenter, REST_BASE_PATH } from '@chunkflow/api';
import type { Services } from '@chunkflow/core-services';
import { ValidationError } from '@chunkflow/errors';
import fastifySwagger, { type StaticDocumentSpec } from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TRPCError } from '@trpc/server';
import { type FastifyTRPCPluginOptions, fastifyTRPCPlugin } from '@trpc/server/adapters/fastify';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import { type CreateOpenApiFastifyPluginOptions, fastifyTRPCOpenApiPlugin } from 'trpc-to-openapi';
import { contextFactory } from './context.ts';
import { MAX_JSON_DEPTH, textExceedsDepth } from './json-depth.ts';

export interface ProcedureRouteOptions {
  services: Services;
  logger: FastifyBaseLogger;
  maxBatchSize: number;
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
  scope.addHook('onRequest', async (request) => {
    if (exceeds((request.query as { input?: unknown }).input)) throw tooDeep();
  });
  scope.addHook('preValidation', async (request) => {
    if (exceeds(request.body)) throw tooDeep();
  });
}

/** The same procedures twice: tRPC at /trpc, REST at /api/v2 with its OpenAPI document. */
export function registerProcedureRoutes(app: FastifyInstance, options: ProcedureRouteOptions): void {
  const createContext = contextFactory(options.services);
  const onError = ({
    error,
    path,
    ctx,
  }: {
    error: TRPCError;
    path?: string;
    ctx?: { correlationId: string };
  }) => {
    if (errorPresenter.toApplicationError(error).isServerError) {
      options.logger.error({ err: error, path, correlationId: ctx?.correlationId }, 'procedure failed');
    }
  };

  // A subscription refused for its key is answered 200 with an error event, not a 401: count it here.
  const onProcedureError = (
    failure: Parameters<typeof onError>[0] & { type: string; req: FastifyRequest },
  ) => {
    onError(failure);
    if (failure.type === 'subscription' && failure.error.code === 'UNAUTHORIZED') {
      options.services.limits.authFailures
        .recordFailure(failure.req.ip)
        .catch((error: unknown) => options.logger.warn({ err: error }, 'failed authentication not counted'));
    }
  };

  void app.register(async (scope) => {
    refuseDeepInput(scope);
    await scope.register(fastifyTRPCPlugin, {
      prefix: '/trpc',
      trpcOptions: {
        router: appRouter,
        createContext,
        maxBatchSize: options.maxBatchSize,
        onError: onProcedureError,
      } satisfies FastifyTRPCPluginOptions<typeof appRouter>['trpcOptions'],
    });
  });

  const openApiDocument = buildOpenApiDocument(options.version);
  app.get(`${REST_BASE_PATH}/openapi.json`, async () => openApiDocument);
  // Interactive docs (Swagger UI, served from local assets) over the same document.
  // The same JSON, described by two OpenAPI typings (openapi3-ts vs openapi-types).
  const document = openApiDocument as unknown as StaticDocumentSpec['document'];
  void app.register(fastifySwagger, { mode: 'static', specification: { document } });
  void app.register(fastifySwaggerUi, { routePrefix: `${REST_BASE_PATH}/docs` });

  void app.register(fastifyTRPCOpenApiPlugin, {
    basePath: REST_BASE_PATH,
    router: appRouter,
    createContext,
    onError,
    responseMeta: ({ errors }) => {
      const [first] = errors;
      if (!first) return {};
      const applicationError = errorPresenter.toApplicationError(first);
      const retryAfter = applicationError.retryAfter;
      return {
        status: applicationError.httpStatus,
        headers: retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) },
      };
    },
  } satisfies CreateOpenApiFastifyPluginOptions<typeof appRouter>);
}
