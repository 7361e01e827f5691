import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';

/**
 * Open event streams (SSE subscriptions) never finish on their own, so closing the server would
 * wait for them forever. They are cut when close begins: an EventSource client (and tRPC's
 * subscription link) reconnects, to another instance, resuming from its last event id. A stream
 * may be quiet for long, so its connection is exempt from the idle timeout.
 */
export function endEventStreamsOnClose(app: FastifyInstance): void {
  const streams = new Set<ServerResponse>();
  app.addHook('onSend', (_request, reply, payload, done) => {
    // The tRPC adapter sends a fetch Response, whose headers Fastify copies only after this hook.
    const contentType =
      payload instanceof Response ? payload.headers.get('content-type') : reply.getHeader('content-type');
    if (typeof contentType === 'string' && contentType.startsWith('text/event-stream')) {
      const response = reply.raw;
      response.socket?.setTimeout(0);
      streams.add(response);
      response.once('close', () => streams.delete(response));
    }
    done(null, payload);
  });
  app.addHook('preClose', (done) => {
    for (const response of streams) response.destroy();
    done();
  });
}
