import {
  MemoryPubSub,
  type PubSub,
  type RedisManager,
  RedisPubSub,
  type Unsubscribe,
} from '@chunkflow/redis-manager';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../ports.ts';

/** Whose key a hash is: what a lookup in the database answers. */
export interface KeyOwner {
  tenantId: string;
  apiKeyId: string;
}

/** Every process that caches key lookups listens here; a revocation is announced here. */
export const KEY_REVOCATIONS_CHANNEL = 'auth:key-revocations';

/**
 * How long a lookup is trusted without a word from the channel: a bound on what a lost message
 * (a subscriber reconnecting while a key is revoked) can cost, and the resolution at which keys'
 * last use is recorded (every lookup that reaches the database records it).
 */
const LOOKUP_TTL_MS = 30_000;
const MAX_LOOKUPS = 10_000;

/**
 * API key lookups remembered in this process, so an authenticated request costs no database round
 * trip. A revocation is announced on a channel every process listens to (Redis pub/sub across
 * processes; in-process in the embedded default), and each forgets every lookup at once: revoking
 * stays immediate. Until this process is subscribed, nothing is remembered.
 */
export class KeyLookups {
  readonly #channel: PubSub;
  readonly #logger: Logger;
  readonly #entries = new LRUCache<string, KeyOwner>({ max: MAX_LOOKUPS, ttl: LOOKUP_TTL_MS });
  #listening: Promise<Unsubscribe | undefined> | undefined;
  #subscribed = false;
  /** Moves at each revocation: a lookup that started before one is not remembered after it. */
  #generation = 0;

  constructor(channel: PubSub, logger: Logger) {
    this.#channel = channel;
    this.#logger = logger;
  }

  /** Starts listening for revocations (remembering lookups from then on); safe to call again. */
  listen(): Promise<void> {
    this.#listening ??= this.#channel
      .subscribe(KEY_REVOCATIONS_CHANNEL, () => this.#forgetAll())
      .then(
        (unsubscribe) => {
          this.#subscribed = true;
          return unsubscribe;
        },
        (error: unknown) => {
          this.#logger.warn({ err: error }, 'key revocations unheard: API key lookups are not cached');
          return undefined;
        },
      );
    return this.#listening.then(() => undefined);
  }

  get generation(): number {
    return this.#generation;
  }

  get(keyHash: string): KeyOwner | undefined {
    return this.#subscribed ? this.#entries.get(keyHash) : undefined;
  }

  /** Remembers a lookup made at `generation`, unless a revocation came in since. */
  remember(keyHash: string, owner: KeyOwner, generation: number): void {
    if (this.#subscribed && generation === this.#generation) this.#entries.set(keyHash, owner);
  }

  /** Tells every process (this one at once) that a key was revoked. */
  async announceRevocation(apiKeyId: string): Promise<void> {
    this.#forgetAll();
    await this.#channel.publish(KEY_REVOCATIONS_CHANNEL, apiKeyId);
  }

  async close(): Promise<void> {
    const unsubscribe = await this.#listening;
    this.#subscribed = false;
    await unsubscribe?.();
  }

  #forgetAll(): void {
    this.#generation += 1;
    this.#entries.clear();
  }
}

/** The revocations channel: Redis pub/sub when there is Redis, else this process's own. */
export function keyRevocationsChannel(redis: RedisManager | undefined, logger: Logger): PubSub {
  return redis ? new RedisPubSub(redis, { logger }) : new MemoryPubSub({ logger });
}
