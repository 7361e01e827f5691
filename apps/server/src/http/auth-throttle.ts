import type { FailedAuthGuard } from '@chunkflow/core-services';
import type { FastifyInstance } from 'fastify';
import { isApiPath } from './api-paths.ts';

/**
 * Throttles key guessing per client address (`request.ip`: the peer, or the client a trusted
 * proxy names, see TRUST_PROXY): every 401 counts as a failure (event-stream
 * subscriptions, answered 200, are counted by the tRPC error hook), and a blocked address gets
 * 429 RATE_LIMITED at the first hook, before its body is read or its key looked up, on a
 * connection closed after the answer.
 */
export function registerAuthThrottle(app: FastifyInstance, guard: FailedAuthGuard): void {
  app.addHook('onRequest', (request, reply, done) => {
    if (!isApiPath(request.url)) return done();
    try {
      guard.check(request.ip);
    } catch (error) {
      void reply.header('connection', 'close');
      return done(error as Error);
    }
    done();
  });
  // Counted once the 401 has left: an onSend hook that waited for the limiter delayed the send
  // enough for the REST adapter to send its reply a second time.
  app.addHook('onResponse', (request, reply, done) => {
    if (reply.statusCode === 401) {
      guard
        .recordFailure(request.ip)
        .catch((error: unknown) => request.log.warn({ err: error }, 'failed authentication not counted'));
    }
    done();
  });
}
