import type { FastifyInstance } from 'fastify';

/** One log line per request (Fastify's own two lines are disabled). */
export function registerRequestLog(app: FastifyInstance): void {
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
}
