import { setTimeout as delay } from 'node:timers/promises';
import type { RedisClient } from './roles.ts';

/**
 * QUIT lets the server finish replies already in flight; a server that does not answer in
 * `timeoutMs` (down, frozen, unreachable) must not hold up shutdown, so the socket is then dropped.
 */
export async function closeGracefully(client: RedisClient, timeoutMs: number): Promise<void> {
  if (client.status === 'end') return;
  if (client.status === 'wait') {
    // Never connected (lazy client): QUIT would open a connection just to close it.
    client.disconnect();
    return;
  }
  const timer = new AbortController();
  const quitInTime = await Promise.race([
    client.quit().then(
      () => true,
      () => false,
    ),
    delay(timeoutMs, false, { signal: timer.signal }).catch(() => false),
  ]);
  timer.abort();
  // After an answered QUIT the server closes the socket and ioredis does not reconnect.
  if (!quitInTime) client.disconnect();
}
