import type { Services } from '@chunkflow/core-services';
import { CORRELATION_HEADER, resolveCorrelationId } from '@chunkflow/errors';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { registerApplyRoute } from './apply-route.ts';
import { registerCorrelation } from './correlation.ts';
import { registerErrorHandling } from './error-handling.ts';
import { registerHealthRoutes } from './health-routes.ts';
import { registerJsonDepthLimit } from './json-depth.ts';
import { registerMetricsRoutes } from './metrics-routes.ts';
import { registerRequestLog } from './request-log.ts';
import { endEventStreamsOnClose } from './shutdown.ts';
import { registerProcedureRoutes } from './trpc-routes.ts';
import { registerUploadRoute } from './uploads.ts';
import { registerWebRoutes } from './web-routes.ts';

export interface HttpServerOptions {
  services: Services;
  logger: FastifyBaseLogger;
  bodyLimitBytes: number;
  maxBatchSize: number;
  version: string;
  /** Required as a bearer token by `/metrics` when set. */
  metricsToken?: string;
}

export function buildHttpServer(options: HttpServerOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: options.bodyLimitBytes,
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { maxParamLength: 256 },
    // The request id is the correlation id: the caller's when well formed, else a fresh one.
    genReqId: (request) => resolveCorrelationId(request.headers[CORRELATION_HEADER]),
  });
  registerCorrelation(app);
  registerRequestLog(app);
  registerErrorHandling(app, options.bodyLimitBytes);
  registerJsonDepthLimit(app);
  registerHealthRoutes(app, options.services);
  registerMetricsRoutes(app, options.services.metrics, options.metricsToken);
  endEventStreamsOnClose(app);
  registerProcedureRoutes(app, options);
  registerUploadRoute(app, options.services);
  registerApplyRoute(app, options.services);
  registerWebRoutes(app);
  return app;
}
