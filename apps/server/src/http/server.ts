import {
  appRouter,
  buildOpenApiDocument,
  errorPresenter,
  REST_BASE_PATH,
  type RequestContext,
} from '@chunkflow/api';
import { type Services, exceptionTranslator as translator } from '@chunkflow/core-services';
import {
  ApplicationError,
  CORRELATION_HEADER,
  DocumentTooLargeError,
  resolveCorrelationId,
  runWithCorrelation,
  ValidationError,
} from '@chunkflow/errors';
import type { TRPCError } from '@trpc/server';
import { type FastifyTRPCPluginOptions, fastifyTRPCPlugin } from '@trpc/server/adapters/fastify';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyRequest,
  LogController,
} from 'fastify';
import { type CreateOpenApiFastifyPluginOptions, fastifyTRPCOpenApiPlugin } from 'trpc-to-openapi';
import { bearerToken } from './bearer.ts';
import { toRestErrorEnvelope } from './rest-errors.ts';

export interface HttpServerOptions {
  services: Services;
  logger: FastifyBaseLogger;
  bodyLimitBytes: number;
  maxBatchSize: number;
  version: string;
}

export function buildHttpServer(options: HttpServerOptions): FastifyInstance {
  const { services, logger } = options;
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: options.bodyLimitBytes,
    // One line per request comes from our onResponse hook instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { maxParamLength: 256 },
    // The request id is the correlation id: the caller's when well formed, else a fresh one.
    genReqId: (request) => resolveCorrelationId(request.headers[CORRELATION_HEADER]),
  });

  const createContext = ({ req }: { req: FastifyRequest }): RequestContext => ({
    services,
    correlationId: req.id,
    apiKey: bearerToken(req.headers.authorization),
  });

  // Everything the request does from here on (hooks, handler, async continuations) sees its id.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header(CORRELATION_HEADER, request.id);
    runWithCorrelation(request.id, done);
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        correlationId: request.id,
        method: request.method,
        url: request.originalUrl,
        status: reply.statusCode,
        durationMs: reply.elapsedTime,
      },
      'request',
    );
  });
  app.addHook('onSend', async (request, reply, payload) => {
    // The REST adapter rewrites request.url, so recognise its route by the registered pattern.
    const isRestError =
      reply.statusCode >= 400 && request.routeOptions.url?.startsWith(`${REST_BASE_PATH}/`) === true;
    return isRestError && typeof payload === 'string' ? toRestErrorEnvelope(payload, request.id) : payload;
  });

  // Errors Fastify raises itself (body too large, malformed JSON, unknown route) in the same envelope.
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const applicationError = fromFastifyError(error, options.bodyLimitBytes);
    if (applicationError.isServerError)
      request.log.error({ err: error, correlationId: request.id }, 'request failed');
    void reply.status(applicationError.httpStatus).send(translator.toRestBody(applicationError, request.id));
  });
  app.setNotFoundHandler((request, reply) => {
    const error = new ApplicationError('NOT_FOUND', `No route ${request.method} ${request.url}`, {
      correlationId: request.id,
    });
    void reply.status(404).send(translator.toRestBody(error, request.id));
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const readiness = await services.health.readiness();
    return reply.status(readiness.ready ? 200 : 503).send(readiness);
  });

  void app.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    trpcOptions: {
      router: appRouter,
      createContext,
      maxBatchSize: options.maxBatchSize,
      onError: ({ error, path, ctx }) => logServerError(logger, error, path, ctx?.correlationId),
    } satisfies FastifyTRPCPluginOptions<typeof appRouter>['trpcOptions'],
  });

  let openApiDocument: unknown;
  app.get(`${REST_BASE_PATH}/openapi.json`, async (request) => {
    openApiDocument ??= buildOpenApiDocument(`${request.protocol}://${request.host}`, options.version);
    return openApiDocument;
  });
  void app.register(fastifyTRPCOpenApiPlugin, {
    basePath: REST_BASE_PATH,
    router: appRouter,
    createContext,
    onError: ({ error, path, ctx }) => logServerError(logger, error, path, ctx?.correlationId),
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

  return app;
}

function fromFastifyError(error: FastifyError, bodyLimitBytes: number): ApplicationError {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new DocumentTooLargeError(Number.NaN, bodyLimitBytes, { cause: error });
  }
  if (error.statusCode !== undefined && error.statusCode < 500) {
    return new ValidationError(error.message, { cause: error });
  }
  return translator.translate(error);
}

function logServerError(
  logger: FastifyBaseLogger,
  error: TRPCError,
  path: string | undefined,
  correlationId: string | undefined,
): void {
  if (errorPresenter.toApplicationError(error).isServerError) {
    logger.error({ err: error, path, correlationId }, 'procedure failed');
  }
}
