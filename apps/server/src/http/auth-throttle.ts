import type { IncomingMessage } from 'node:http';
import type { FailedAuthGuard } from '@chunkflow/core-services';
import type { FastifyInstance } from 'fastify';
import { isApiPath } from './api-paths.ts';

/** The peer's address (no proxy is trusted, so a forwarded-for header cannot dodge the count). */
export function clientAddress(request: IncomingMessage): string {
  return request.socket.remoteAddress ?? 'unknown';
}

/**
 * Throttles key guessing per client address: every 401 counts as a failure (event-stream
 * subscriptions, answered 200, are counted by the tRPC error hook), and a blocked address gets
 * 429 RATE_LIMITED at the first hook, before its body is read or its key looked up, on a
 * connection closed after the answer.
 */
export function registerAuthThrottle(app: FastifyInstance, guard: FailedAuthGuard): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!isApiPath(request.url)) return;
    try {
      guard.check(clientAddress(request.raw));
    } catch (error) {
      void reply.header('connection', 'close');
      throw error;
    }
  });
  // Counted once the 401 has left: an onSend hook that waited for the limiter delayed the send
  // enough for the REST adapter to send its reply a second time.
  app.addHook('onResponse', (request, reply, done) => {
    if (reply.statusCode === 401) {
      guard
        .recordFailure(clientAddress(request.raw))
        .catch((error: unknown) => request.log.warn({ err: error }, 'failed authentication not counted'));
    }
    done();
  });
}
