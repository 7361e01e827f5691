import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

/** How long a close step may take before it is named in the log. */
const SLOW_CLOSE_MS = 5_000;

/** Runs one step of closing the app, naming it in the log when it is slow (so a hang says where). */
export async function closeStep(logger: Logger, step: string, close: () => Promise<unknown>): Promise<void> {
  const warning = setTimeout(() => logger.warn({ step }, 'closing is slow'), SLOW_CLOSE_MS);
  try {
    await close();
  } finally {
    clearTimeout(warning);
  }
}

/**
 * Closes the HTTP server, letting requests in flight finish for `graceMs`; connections still open
 * then (a client that never finishes sending, or never reads its answer) are cut, so closing ends
 * within the shutdown budget instead of waiting for the slowest client.
 */
export async function closeHttp(http: FastifyInstance, graceMs: number): Promise<void> {
  const cut = setTimeout(() => http.server.closeAllConnections(), graceMs);
  try {
    await http.close();
  } finally {
    clearTimeout(cut);
  }
}
