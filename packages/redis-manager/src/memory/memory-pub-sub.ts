import { EventEmitter } from 'node:events';
import type { RedisLogger } from '../logger.ts';
import type { MessageHandler, PubSub, Unsubscribe } from '../ports.ts';

/** In-process PubSub (embedded mode): one EventEmitter event per channel, delivered synchronously. */
export class MemoryPubSub implements PubSub {
  readonly #emitter = new EventEmitter();
  readonly #logger: RedisLogger;

  constructor(options: { logger: RedisLogger }) {
    this.#logger = options.logger;
    // Every open progress stream is a listener; there is no leak to warn about.
    this.#emitter.setMaxListeners(0);
  }

  async publish(channel: string, message: string): Promise<void> {
    this.#emitter.emit(channel, message);
  }

  async subscribe(channel: string, handler: MessageHandler): Promise<Unsubscribe> {
    const listener = (message: string) => {
      try {
        handler(message);
      } catch (error) {
        // One failing handler must not keep the message from the others, nor reach the publisher.
        this.#logger.error({ err: error, channel }, 'pub/sub handler failed');
      }
    };
    this.#emitter.on(channel, listener);
    return async () => {
      this.#emitter.off(channel, listener);
    };
  }
}
