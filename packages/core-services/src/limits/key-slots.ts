import { RateLimitedError } from '@chunkflow/errors';

/** Seconds a refused caller should wait: slots free at their holders' pace, not on a clock. */
const RETRY_AFTER_SECONDS = 5;

/**
 * Bounds what each API key holds open at once in this process (event streams, uploads in
 * flight), where the sockets and memory they hold live. `acquire` returns the release of the slot
 * (idempotent); a key with every slot taken is refused with RATE_LIMITED.
 */
export class KeySlots {
  readonly #maxPerKey: number;
  readonly #resource: string;
  readonly #open = new Map<string, number>();

  /** `resource` names what a slot holds, in the refusal: e.g. `subscriptions`. */
  constructor(maxPerKey: number, resource: string) {
    this.#maxPerKey = maxPerKey;
    this.#resource = resource;
  }

  acquire(apiKeyId: string): () => void {
    const open = this.#open.get(apiKeyId) ?? 0;
    if (open >= this.#maxPerKey) {
      throw new RateLimitedError(RETRY_AFTER_SECONDS, {
        details: { reason: `too many open ${this.#resource}`, limit: this.#maxPerKey },
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

  /** Slots held by every key together. */
  get total(): number {
    let total = 0;
    for (const count of this.#open.values()) total += count;
    return total;
  }
}
