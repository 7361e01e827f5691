import { mayScrapeMetrics, type ServiceMetrics } from '@chunkflow/core-services';
import { UnauthorizedError } from '@chunkflow/errors';
import type { FastifyInstance } from 'fastify';

/**
 * `/metrics`: Prometheus text exposition (docs/operating.md, "Metrics"), for scrapers inside the deployment;
 * with a token, only for scrapers that send it.
 */
export function registerMetricsRoutes(app: FastifyInstance, metrics: ServiceMetrics, token?: string): void {
  app.get('/metrics', async (request, reply) => {
    if (!mayScrapeMetrics(request.headers.authorization, token)) {
      throw new UnauthorizedError('Send the metrics token as Authorization: Bearer <token>');
    }
    return reply.type(metrics.contentType).send(await metrics.render());
  });
}
