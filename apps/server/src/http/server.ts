import { appRouter } from '@chunkflow/api';
import type { Services } from '@chunkflow/core-services';
import { CORRELATION_HEADER, resolveCorrelationId } from '@chunkflow/errors';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { registerAuthThrottle } from './auth-throttle.ts';
import { registerCorrelation } from './correlation.ts';
import { registerEarlyAuthentication } from './early-auth.ts';
import { registerErrorHandling } from './error-handling.ts';
import { registerExportRoute } from './export-route.ts';
import { answerClientError, answerFrameworkError } from './framework-errors.ts';
import { registerHealthRoutes } from './health-routes.ts';
import { registerImportRoute } from './import-route.ts';
import { registerJsonDepthLimit } from './json-depth.ts';
import { registerMetricsRoutes } from './metrics-routes.ts';
import { registerRequestLog } from './request-log.ts';
import { registerSecurityHeaders } from './security-headers.ts';
import { endEventStreamsOnClose } from './shutdown.ts';
import { registerProcedureRoutes } from './trpc-routes.ts';
import type { UploadPace } from './upload-pace.ts';
import { registerUploadRoute } from './uploads.ts';
import { registerWebRoutes } from './web-routes.ts';

export interface HttpServerOptions {
  services: Services;
  logger: FastifyBaseLogger;
  bodyLimitBytes: number;
  maxBatchSize: number;
  version: string;
  /** Required as a bearer token by `/metrics` when set. */
  metricsToken?: string | undefined;
  timeouts: HttpTimeouts;
  uploadPace: UploadPace;
  /** Proxies whose X-Forwarded-For gives the client's address (`request.ip`); none: the peer's. */
  trustedProxies: string[];
}

/** Node's clocks on every connection (0 is never used: Fastify's 0 means "no limit"). */
export interface HttpTimeouts {
  headersMs: number;
  requestMs: number;
  connectionIdleMs: number;
  keepAliveMs: number;
}

/**
 * The `/trpc/{path}` parameter of the largest batch allowed: its procedure names, comma-joined.
 * The router's parameter limit is derived from it, so every batch the server accepts fits.
 */
export function maxBatchPathLength(maxBatchSize: number): number {
  const longestName = Math.max(...Object.keys(appRouter._def.procedures).map((name) => name.length));
  return maxBatchSize * (longestName + 1);
}

export function buildHttpServer(options: HttpServerOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: options.bodyLimitBytes,
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { maxParamLength: Math.max(256, maxBatchPathLength(options.maxBatchSize)) },
    // The request id is the correlation id: the caller's when well formed, else a fresh one.
    genReqId: (request) => resolveCorrelationId(request.headers[CORRELATION_HEADER]),
    http: {
      headersTimeout: options.timeouts.headersMs,
      // How often Node looks for connections past these timeouts (its default, 30 s, would let a
      // slow client hold on far longer than the timeout says).
      connectionsCheckingInterval: Math.max(
        1000,
        Math.min(30_000, Math.floor(options.timeouts.headersMs / 4)),
      ),
    },
    requestTimeout: options.timeouts.requestMs,
    connectionTimeout: options.timeouts.connectionIdleMs,
    keepAliveTimeout: options.timeouts.keepAliveMs,
    trustProxy: options.trustedProxies.length > 0 ? options.trustedProxies : false,
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
  });
  registerCorrelation(app);
  registerRequestLog(app);
  registerAuthThrottle(app, options.services.quotas.authFailures);
  registerEarlyAuthentication(app, options.services.auth, options.bodyLimitBytes);
  // After the edge checks, as the helmet plugin's hooks ran: their refusals carry what they did.
  registerSecurityHeaders(app);
  registerErrorHandling(app, options.bodyLimitBytes);
  registerJsonDepthLimit(app);
  registerHealthRoutes(app, options.services);
  registerMetricsRoutes(app, options.services.metrics, options.metricsToken);
  endEventStreamsOnClose(app);
  registerProcedureRoutes(app, options);
  registerUploadRoute(app, options.services, options.uploadPace);
  registerImportRoute(app, options.services, options.uploadPace);
  registerExportRoute(app, options.services);
  registerWebRoutes(app);
  return app;
}
