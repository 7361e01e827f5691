import type { Readiness, Services } from '@chunkflow/core-services';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';

/**
 * `/healthz`: the process is alive. `/readyz`: every dependency answers (503 otherwise). The
 * endpoint is public, so it names each dependency and its state only; why one is down (which may
 * name internal hosts) goes to the log.
 */
export function registerHealthRoutes(app: FastifyInstance, services: Services): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (request, reply) => {
    const readiness = await services.health.readiness();
    return reply.status(readiness.ready ? 200 : 503).send(publicReadiness(readiness, request.log));
  });
}

function publicReadiness(readiness: Readiness, logger: FastifyBaseLogger): Readiness {
  const dependencies: Readiness['dependencies'] = {};
  for (const [name, { ok, latencyMs, error }] of Object.entries(readiness.dependencies)) {
    if (error !== undefined) logger.warn({ dependency: name, reason: error }, 'dependency not ready');
    dependencies[name] = { ok, latencyMs };
  }
  return { ready: readiness.ready, dependencies };
}
