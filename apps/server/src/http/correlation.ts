import { CORRELATION_HEADER, runWithCorrelation } from '@chunkflow/errors';
import type { FastifyInstance } from 'fastify';

/**
 * Echoes the request's correlation id (its Fastify request id) and runs everything the request
 * does afterwards (hooks, handler, async continuations) inside its correlation scope.
 */
export function registerCorrelation(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    reply.header(CORRELATION_HEADER, request.id);
    runWithCorrelation(request.id, done);
  });
}
