import { setTimeout as delay } from 'node:timers/promises';

/** True when the promise fulfils within the timeout; false when it rejects or takes longer. */
export async function fulfilsWithin(promise: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  const timer = new AbortController();
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => false,
      ),
      delay(timeoutMs, false, { signal: timer.signal }).catch(() => false),
    ]);
  } finally {
    timer.abort();
  }
}
