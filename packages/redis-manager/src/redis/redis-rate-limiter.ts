import { randomUUID } from 'node:crypto';
import type { ClientContext, Result } from 'ioredis';
import { translateRedisError } from '../errors.ts';
import { assertRateLimit } from '../port-arguments.ts';
import type { RateLimitDecision, RateLimiter } from '../ports.ts';
import type { RedisManager } from '../redis-manager.ts';
import type { CommandsClient } from '../roles.ts';

// ioredis' documented way to type a command added with defineCommand.
declare module 'ioredis' {
  interface RedisCommander<Context extends ClientContext = { type: 'default' }> {
    chunkflowSlidingWindow(
      key: string,
      limit: number,
      windowMs: number,
      member: string,
      count: number,
    ): Result<[granted: number, remaining: number, retryAfterMs: number], Context>;
  }
}

/**
 * Sliding-window log in one sorted set per key (score = admission time in ms). Runs atomically
 * in Redis and takes the time from the server, so all processes share one clock and one count.
 */
const SLIDING_WINDOW = `
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
if count < limit then
  local granted = math.min(tonumber(ARGV[4]), limit - count)
  for admission = 1, granted do
    redis.call('ZADD', key, now, ARGV[3] .. ':' .. admission)
  end
  redis.call('PEXPIRE', key, window)
  return {granted, limit - count - granted, 0}
end
local blocking = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
return {0, 0, tonumber(blocking[2]) + window - now}
`;

/** RateLimiter shared by every process using this Redis, under `<prefix>:ratelimit:<key>`. */
export class RedisRateLimiter implements RateLimiter {
  readonly #manager: RedisManager;
  readonly #prepared = new WeakSet<CommandsClient>();

  constructor(manager: RedisManager) {
    this.#manager = manager;
  }

  async consume(key: string, limit: number, windowMs: number, count = 1): Promise<RateLimitDecision> {
    assertRateLimit(limit, windowMs, count);
    try {
      const [granted, remaining, retryAfterMs] = await this.#client().chunkflowSlidingWindow(
        this.#manager.keys.of('ratelimit', key),
        limit,
        windowMs,
        randomUUID(),
        count,
      );
      return { allowed: granted > 0, granted, remaining, retryAfterMs };
    } catch (error) {
      throw translateRedisError(error);
    }
  }

  #client(): CommandsClient {
    const client = this.#manager.commands();
    if (!this.#prepared.has(client)) {
      // EVALSHA with a fallback to EVAL when the server's script cache does not have it yet.
      client.defineCommand('chunkflowSlidingWindow', { numberOfKeys: 1, lua: SLIDING_WINDOW });
      this.#prepared.add(client);
    }
    return client;
  }
}
