import type { IncomingMessage } from 'node:http';
import type { FastifyReply } from 'fastify';

/**
 * Settles the unread rest of a refused request's body (bad key, unknown collection, invalid query:
 * refused before it was read), which the client may still be sending. Closing the connection over
 * unread bytes makes the kernel reset it, and the client lose the answer: fetch fails with EPIPE or
 * ECONNRESET instead of reading the 404. So the rest is read and dropped, on a connection kept
 * alive, up to `maxBytes` (Node's requestTimeout bounds a slow sender). A body declared larger than
 * that, or destroyed already, has the connection closed on it: such a client may see the reset
 * rather than the answer.
 */
export function discardUnreadBody(body: IncomingMessage, reply: FastifyReply, maxBytes: number): void {
  if (body.readableEnded) return;
  const declared = declaredLength(body.headers['content-length']);
  if (body.destroyed || (declared !== undefined && declared > maxBytes)) {
    void reply.header('connection', 'close');
    return;
  }
  let dropped = 0;
  body.on('data', (piece: Buffer) => {
    dropped += piece.byteLength;
    if (dropped > maxBytes) body.destroy();
  });
  body.resume();
}

/** `Content-Length` as a byte count, or undefined when absent or malformed. */
export function declaredLength(header: string | undefined): number | undefined {
  const length = Number(header);
  return header !== undefined && Number.isSafeInteger(length) && length >= 0 ? length : undefined;
}
