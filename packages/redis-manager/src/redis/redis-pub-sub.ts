import { setTimeout as delay } from 'node:timers/promises';
import { redisUnavailable, translateRedisError } from '../errors.ts';
import type { RedisLogger } from '../logger.ts';
import type { MessageHandler, PubSub, Unsubscribe } from '../ports.ts';
import type { RedisManager } from '../redis-manager.ts';
import type { SubscriberClient } from '../roles.ts';

interface Subscription {
  handler: MessageHandler;
}

/** Waits between asking a reconnected server again for the subscriptions it refused. */
const RESUBSCRIBE_RETRY = { initialMs: 100, maxMs: 2_000 };

interface ChannelState {
  subscriptions: Set<Subscription>;
  /** The channel's SUBSCRIBE; later subscribers of the same channel wait for it too. */
  subscribed: Promise<unknown>;
}

/**
 * PubSub over Redis channels `<prefix>:channel:<name>`: publishes on the commands client, receives
 * on the one subscriber connection, with one SUBSCRIBE per channel however many handlers listen.
 * Every channel with handlers is subscribed again after a reconnect, so subscriptions survive a
 * Redis restart.
 */
export class RedisPubSub implements PubSub {
  readonly #manager: RedisManager;
  readonly #logger: RedisLogger;
  readonly #channels = new Map<string, ChannelState>();
  #listening: SubscriberClient | undefined;

  constructor(manager: RedisManager, options: { logger: RedisLogger }) {
    this.#manager = manager;
    this.#logger = options.logger;
  }

  async publish(channel: string, message: string): Promise<void> {
    try {
      await this.#manager.commands().publish(this.#name(channel), message);
    } catch (error) {
      throw translateRedisError(error);
    }
  }

  async subscribe(channel: string, handler: MessageHandler): Promise<Unsubscribe> {
    const name = this.#name(channel);
    // Subscribing is not on a hot path: give a connection that is still coming up its connect timeout.
    await this.#manager.waitUntilReady('subscriber');
    const subscriber = this.#subscriber();
    let state = this.#channels.get(name);
    if (state === undefined) {
      const subscribed = subscriber.subscribe(name);
      // A caller that gave up on it (command timeout) no longer awaits it: a late rejection (a BUSY
      // server, a dropped connection) must not become an unhandled rejection that ends the process.
      subscribed.catch(() => undefined);
      state = { subscriptions: new Set(), subscribed };
      this.#channels.set(name, state);
    }
    const subscription = { handler };
    state.subscriptions.add(subscription);
    try {
      await withinCommandTimeout(state.subscribed, this.#manager.commandTimeoutMs);
    } catch (error) {
      this.#forget(name, state, subscription);
      throw translateRedisError(error);
    }
    let active = true;
    return async () => {
      if (!active) return;
      active = false;
      if (this.#forget(name, state, subscription)) await this.#unsubscribe(subscriber, name);
    };
  }

  /** Drops one subscription; true when it was the channel's last, so the channel can be left. */
  #forget(name: string, state: ChannelState, subscription: Subscription): boolean {
    state.subscriptions.delete(subscription);
    if (state.subscriptions.size > 0 || this.#channels.get(name) !== state) return false;
    this.#channels.delete(name);
    return true;
  }

  async #unsubscribe(subscriber: SubscriberClient, name: string): Promise<void> {
    try {
      await subscriber.unsubscribe(name);
    } catch (error) {
      // Nothing is delivered for a channel without handlers; a stale subscription only costs traffic.
      this.#logger.warn({ err: error, channel: name }, 'redis unsubscribe failed');
    }
  }

  #subscriber(): SubscriberClient {
    const subscriber = this.#manager.subscriber();
    if (this.#listening !== subscriber) {
      subscriber.on('message', (name: string, message: string) => this.#dispatch(name, message));
      subscriber.on('ready', () => void this.#resubscribe(subscriber));
      this.#listening = subscriber;
    }
    return subscriber;
  }

  /**
   * A reconnected subscriber holds no subscriptions: asks for every channel that has handlers until
   * the server grants them or the connection drops again (its next 'ready' starts over). A refusal
   * (a BUSY server) is logged and retried, never left as a rejection nobody handles.
   */
  async #resubscribe(subscriber: SubscriberClient): Promise<void> {
    let waitMs = RESUBSCRIBE_RETRY.initialMs;
    while (this.#channels.size > 0 && subscriber.status === 'ready') {
      try {
        await subscriber.subscribe(...this.#channels.keys());
        return;
      } catch (error) {
        this.#logger.warn({ err: error, channels: this.#channels.size }, 'redis resubscribe failed');
        await delay(waitMs, undefined, { ref: false });
        waitMs = Math.min(waitMs * 2, RESUBSCRIBE_RETRY.maxMs);
      }
    }
  }

  #dispatch(name: string, message: string): void {
    const state = this.#channels.get(name);
    if (state === undefined) return;
    for (const { handler } of [...state.subscriptions]) {
      try {
        handler(message);
      } catch (error) {
        this.#logger.error({ err: error, channel: name }, 'pub/sub handler failed');
      }
    }
  }

  #name(channel: string): string {
    return this.#manager.keys.of('channel', channel);
  }
}

/** The subscriber role has no command timeout (see roleOptions), so a SUBSCRIBE is bounded here. */
async function withinCommandTimeout(subscribed: Promise<unknown>, timeoutMs: number): Promise<void> {
  const timer = new AbortController();
  try {
    await Promise.race([
      subscribed,
      delay(timeoutMs, undefined, { signal: timer.signal }).then(() => {
        throw redisUnavailable('timeout', new Error(`SUBSCRIBE got no answer in ${timeoutMs} ms`));
      }),
    ]);
  } finally {
    timer.abort();
  }
}
