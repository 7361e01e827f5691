import { RateLimitedError } from '@chunkflow/errors';

/** Seconds a refused subscriber should wait: streams end at their owner's pace, not on a clock. */
const RETRY_AFTER_SECONDS = 5;

/**
 * Bounds the open event streams (SSE subscriptions) of each API key in this process, where the
 * sockets and memory they hold live. `acquire` returns the release of the slot (idempotent).
 */
export class SubscriptionSlots {
  readonly #maxPerKey: number;
  readonly #open = new Map<string, number>();

  constructor(maxPerKey: number) {
    this.#maxPerKey = maxPerKey;
  }

  acquire(apiKeyId: string): () => void {
    const open = this.#open.get(apiKeyId) ?? 0;
    if (open >= this.#maxPerKey) {
      throw new RateLimitedError(RETRY_AFTER_SECONDS, {
        details: { reason: 'too many open subscriptions', limit: this.#maxPerKey },
      });
    }
    this.#open.set(apiKeyId, open + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const remaining = (this.#open.get(apiKeyId) ?? 1) - 1;
      if (remaining === 0) this.#open.delete(apiKeyId);
      else this.#open.set(apiKeyId, remaining);
    };
  }

  /** Open subscriptions of every key together. */
  get total(): number {
    let total = 0;
    for (const count of this.#open.values()) total += count;
    return total;
  }
}
