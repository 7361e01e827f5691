import { translateRedisError } from '../errors.ts';
import { assertTtlSeconds } from '../port-arguments.ts';
import type { CacheValue, KeyValueCache } from '../ports.ts';
import type { RedisManager } from '../redis-manager.ts';

/**
 * Text at least this long is handed to the client as its UTF-8 bytes: ioredis measures a string
 * argument's UTF-8 length, then writes it inside a concatenated command string (flattened and
 * encoded again), while a Buffer goes out as it is. Redis stores the same bytes either way.
 */
const BYTES_FROM_CHARS = 16 * 1024;

/** KeyValueCache in Redis under `<prefix>:cache:<key>`, on the fail-fast commands client. */
export class RedisCache implements KeyValueCache {
  readonly #manager: RedisManager;

  constructor(manager: RedisManager) {
    this.#manager = manager;
  }

  async get(key: string): Promise<string | undefined> {
    try {
      return (await this.#manager.commands().get(this.#key(key))) ?? undefined;
    } catch (error) {
      throw translateRedisError(error);
    }
  }

  async getBuffer(key: string): Promise<Buffer | undefined> {
    try {
      return (await this.#manager.commands().getBuffer(this.#key(key))) ?? undefined;
    } catch (error) {
      throw translateRedisError(error);
    }
  }

  async set(key: string, value: CacheValue, ttlSeconds: number): Promise<void> {
    assertTtlSeconds(ttlSeconds);
    try {
      const payload =
        typeof value === 'string' && value.length >= BYTES_FROM_CHARS ? Buffer.from(value) : value;
      await this.#manager.commands().set(this.#key(key), payload, 'EX', ttlSeconds);
    } catch (error) {
      throw translateRedisError(error);
    }
  }

  async has(key: string): Promise<boolean> {
    try {
      return (await this.#manager.commands().exists(this.#key(key))) > 0;
    } catch (error) {
      throw translateRedisError(error);
    }
  }

  async delete(key: string): Promise<boolean> {
    try {
      return (await this.#manager.commands().unlink(this.#key(key))) > 0;
    } catch (error) {
      throw translateRedisError(error);
    }
  }

  #key(key: string): string {
    return this.#manager.keys.of('cache', key);
  }
}
