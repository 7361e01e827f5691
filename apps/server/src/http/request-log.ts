import { type RequestFacts, runWithRequestFacts } from '@chunkflow/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { redactUrl } from './redact.ts';

/**
 * One log line per request (Fastify's own two lines are disabled), with what its procedures
 * reported on the way: their paths and the caller's tenant. Credentials in the URL are redacted.
 */
export function registerRequestLog(app: FastifyInstance): void {
  // The URL as received: the REST adapter rewrites the request's URL on its way to a procedure.
  const seen = new WeakMap<FastifyRequest, { url: string; facts: RequestFacts }>();
  app.addHook('onRequest', (request, _reply, done) => {
    const facts: RequestFacts = { procedures: [], tenantId: undefined };
    seen.set(request, { url: redactUrl(request.url), facts });
    runWithRequestFacts(facts, done);
  });
  app.addHook('onResponse', (request, reply, done) => {
    const { url, facts } = seen.get(request) ?? { url: redactUrl(request.originalUrl), facts: undefined };
    request.log.info(
      {
        correlationId: request.id,
        method: request.method,
        url,
        status: reply.statusCode,
        durationMs: reply.elapsedTime,
        ...(facts?.tenantId === undefined ? {} : { tenantId: facts.tenantId }),
        ...(facts?.procedures.length ? { procedures: facts.procedures } : {}),
      },
      'request',
    );
    done();
  });
}
