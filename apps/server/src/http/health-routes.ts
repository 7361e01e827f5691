import type { Services } from '@chunkflow/core-services';
import type { FastifyInstance } from 'fastify';

/** `/healthz`: the process is alive. `/readyz`: every dependency answers (503 otherwise). */
export function registerHealthRoutes(app: FastifyInstance, services: Services): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const readiness = await services.health.readiness();
    return reply.status(readiness.ready ? 200 : 503).send(readiness);
  });
}
