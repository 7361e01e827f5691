import type { RedisClient } from './roles.ts';
import { fulfilsWithin } from './timeout.ts';

/** How long ioredis gives a socket it ended to close before destroying it (its `disconnectTimeout`). */
export const SOCKET_END_GRACE_MS = 200;

/**
 * QUIT lets the server finish replies already in flight; a server that does not answer in
 * `timeoutMs` (frozen, unreachable) must not hold up shutdown, so the socket is then dropped.
 */
export async function closeGracefully(client: RedisClient, timeoutMs: number): Promise<void> {
  if (client.status === 'end') return;
  if (client.status === 'wait' || client.status === 'reconnecting') {
    // No socket to say goodbye on (lazy client never used, or between reconnect attempts);
    // disconnect() cancels the pending reconnect.
    client.disconnect();
    return;
  }
  const ended = new Promise((resolve) => client.once('end', resolve));
  // Only a ready connection can answer QUIT; one still connecting is simply dropped.
  const answered = client.status === 'ready' && (await fulfilsWithin(client.quit(), timeoutMs));
  if (answered) {
    await fulfilsWithin(ended, timeoutMs);
    return;
  }
  client.disconnect();
  // ioredis destroys a socket that has not closed after its disconnectTimeout; a connection
  // attempt without a socket yet never reports 'end', so do not wait longer than that.
  await fulfilsWithin(ended, 2 * SOCKET_END_GRACE_MS);
}
