import type { AuthService } from '@chunkflow/core-services';
import type { FastifyInstance } from 'fastify';
import { isApiPath } from './api-paths.ts';
import { bearerToken } from './context.ts';
import { requestTenant } from './request-auth.ts';
import { declaredLength, discardUnreadBody } from './unread-body.ts';

/** Bodies up to this size are read before the key is checked: a lookup costs more than reading them. */
const CHEAP_BODY_BYTES = 64 * 1024;

/**
 * Checks the key of a request with a large (or undeclared) body before the body is read: every
 * procedure that takes one needs a key, and reading and parsing 12 MB for a caller without one is
 * the attacker's cheapest way to load the server. Refused with 401; the unread body is dropped
 * unparsed (up to the body limit, so the client can read the answer; a larger one has its
 * connection closed). The procedure is handed the tenant found here (see requestTenant): the key
 * is looked up once per request.
 */
export function registerEarlyAuthentication(
  app: FastifyInstance,
  auth: AuthService,
  bodyLimitBytes: number,
): void {
  app.addHook('onRequest', (request, reply, done) => {
    if (request.method === 'GET' || request.method === 'HEAD' || !isApiPath(request.url)) return done();
    const declared = declaredLength(request.headers['content-length']);
    if (declared !== undefined && declared <= CHEAP_BODY_BYTES) return done();
    requestTenant(auth, request, bearerToken(request.headers.authorization)).then(
      () => done(),
      (error: Error) => {
        discardUnreadBody(request.raw, reply, bodyLimitBytes);
        done(error);
      },
    );
  });
}
