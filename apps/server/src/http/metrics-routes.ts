import type { ServiceMetrics } from '@chunkflow/core-services';
import type { FastifyInstance } from 'fastify';

/** `/metrics`: Prometheus text exposition (README "Metrics"), for scrapers inside the deployment. */
export function registerMetricsRoutes(app: FastifyInstance, metrics: ServiceMetrics): void {
  app.get('/metrics', async (_request, reply) =>
    reply.type(metrics.contentType).send(await metrics.render()),
  );
}
