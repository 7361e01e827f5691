import type { IncomingMessage } from 'node:http';
import type { FailedAuthGuard } from '@chunkflow/core-services';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isApiPath } from './api-paths.ts';

/** The peer's address (no proxy is trusted, so a forwarded-for header cannot dodge the count). */
export function clientAddress(request: IncomingMessage): string {
  return request.socket.remoteAddress ?? 'unknown';
}

/**
 * Throttles key guessing per client address: every 401 counts as a failure (event-stream
 * subscriptions, answered 200, report theirs through `countFailure`), and a blocked address gets
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
  // Counted before the 401 leaves, so the client's next attempt already meets the updated count;
  // once per request (the REST adapter's error passes onSend twice).
  const counted = new WeakSet<FastifyRequest>();
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode === 401 && !counted.has(request)) {
      counted.add(request);
      await guard.recordFailure(clientAddress(request.raw));
    }
    return payload;
  });
}
