import { appRouter, buildOpenApiDocument, errorPresenter, REST_BASE_PATH } from '@chunkflow/api';
import type { Services } from '@chunkflow/core-services';
import fastifySwagger, { type StaticDocumentSpec } from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TRPCError } from '@trpc/server';
import { type FastifyTRPCPluginOptions, fastifyTRPCPlugin } from '@trpc/server/adapters/fastify';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { type CreateOpenApiFastifyPluginOptions, fastifyTRPCOpenApiPlugin } from 'trpc-to-openapi';
import { contextFactory } from './context.ts';

export interface ProcedureRouteOptions {
  services: Services;
  logger: FastifyBaseLogger;
  maxBatchSize: number;
  version: string;
}

/**
 * tRPC parses the body itself (with its transformer) from a text body as it is, but re-serialises
 * a parsed one: parsing it here too cost a JSON.parse and a JSON.stringify of every document sent.
 * Fastify still enforces its body limit on the text.
 */
function keepJsonBodiesAsText(scope: FastifyInstance): void {
  scope.removeContentTypeParser('application/json');
  scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) =>
    done(null, body),
  );
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

  void app.register(async (scope) => {
    keepJsonBodiesAsText(scope);
    await scope.register(fastifyTRPCPlugin, {
      prefix: '/trpc',
      trpcOptions: {
        router: appRouter,
        createContext,
        maxBatchSize: options.maxBatchSize,
        onError,
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
