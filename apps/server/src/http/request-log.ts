import { type RequestFacts, runWithRequestFacts } from '@chunkflow/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * One log line per request (Fastify's own two lines are disabled), with what its procedures
 * reported on the way: their paths and the caller's tenant.
 */
export function registerRequestLog(app: FastifyInstance): void {
  const factsOf = new WeakMap<FastifyRequest, RequestFacts>();
  app.addHook('onRequest', (request, _reply, done) => {
    const facts: RequestFacts = { procedures: [], tenantId: undefined };
    factsOf.set(request, facts);
    runWithRequestFacts(facts, done);
  });
  app.addHook('onResponse', async (request, reply) => {
    const facts = factsOf.get(request);
    request.log.info(
      {
        correlationId: request.id,
        method: request.method,
        url: request.originalUrl,
        status: reply.statusCode,
        durationMs: reply.elapsedTime,
        ...(facts?.tenantId === undefined ? {} : { tenantId: facts.tenantId }),
        ...(facts?.procedures.length ? { procedures: facts.procedures } : {}),
      },
      'request',
    );
  });
}
