import { randomUUID } from 'node:crypto';
import type { ClientContext, Result } from 'ioredis';
import { translateRedisError } from '../errors.ts';
import { assertRateLimit, assertWanted } from '../port-arguments.ts';
import type { RateLimitDecision, RateLimiter, RateLimitGrant } from '../ports.ts';
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
    ): Result<[allowed: number, remaining: number, retryAfterMs: number], Context>;
    chunkflowSlidingWindowUpTo(
      key: string,
      limit: number,
      windowMs: number,
      wanted: number,
      member: string,
    ): Result<[granted: number, retryAfterMs: number], Context>;
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
  redis.call('ZADD', key, now, ARGV[3])
  redis.call('PEXPIRE', key, window)
  return {1, limit - count - 1, 0}
end
local blocking = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
return {0, 0, tonumber(blocking[2]) + window - now}
`;

/**
 * The same log, admitting up to ARGV[3] requests at once: one member each (ZADD in slices, within
 * Lua's limit on unpacked arguments).
 */
const SLIDING_WINDOW_UP_TO = `
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local wanted = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
local granted = math.max(0, math.min(wanted, limit - count))
local added = 0
while added < granted do
  local slice = {}
  for i = added + 1, math.min(granted, added + 500) do
    slice[#slice + 1] = now
    slice[#slice + 1] = ARGV[4] .. ':' .. i
  end
  redis.call('ZADD', key, unpack(slice))
  added = math.min(granted, added + 500)
end
if granted > 0 then redis.call('PEXPIRE', key, window) end
if granted == wanted then return {granted, 0} end
local total = count + granted
local blocking = redis.call('ZRANGE', key, total - limit, total - limit, 'WITHSCORES')
return {granted, tonumber(blocking[2]) + window - now}
`;

/** RateLimiter shared by every process using this Redis, under `<prefix>:ratelimit:<key>`. */
export class RedisRateLimiter implements RateLimiter {
  readonly #manager: RedisManager;
  readonly #prepared = new WeakSet<CommandsClient>();

  constructor(manager: RedisManager) {
    this.#manager = manager;
  }

  async consume(key: string, limit: number, windowMs: number): Promise<RateLimitDecision> {
    assertRateLimit(limit, windowMs);
    try {
      const [allowed, remaining, retryAfterMs] = await this.#client().chunkflowSlidingWindow(
        this.#manager.keys.of('ratelimit', key),
        limit,
        windowMs,
        randomUUID(),
      );
      return { allowed: allowed === 1, remaining, retryAfterMs };
    } catch (error) {
      throw translateRedisError(error);
    }
  }

  async consumeUpTo(key: string, wanted: number, limit: number, windowMs: number): Promise<RateLimitGrant> {
    assertRateLimit(limit, windowMs);
    assertWanted(wanted);
    if (wanted === 0) return { granted: 0, retryAfterMs: 0 };
    try {
      const [granted, retryAfterMs] = await this.#client().chunkflowSlidingWindowUpTo(
        this.#manager.keys.of('ratelimit', key),
        limit,
        windowMs,
        wanted,
        randomUUID(),
      );
      return { granted, retryAfterMs };
    } catch (error) {
      throw translateRedisError(error);
    }
  }

  #client(): CommandsClient {
    const client = this.#manager.commands();
    if (!this.#prepared.has(client)) {
      // EVALSHA with a fallback to EVAL when the server's script cache does not have it yet.
      client.defineCommand('chunkflowSlidingWindow', { numberOfKeys: 1, lua: SLIDING_WINDOW });
      client.defineCommand('chunkflowSlidingWindowUpTo', { numberOfKeys: 1, lua: SLIDING_WINDOW_UP_TO });
      this.#prepared.add(client);
    }
    return client;
  }
}
