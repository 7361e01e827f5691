/**
 * The three small infrastructure interfaces services depend on. Each has a Redis implementation
 * (shared by all processes) and an in-process one (embedded mode, no REDIS_URL); one contract
 * test suite holds both to the same behaviour.
 */

export type CacheValue = string | Buffer;

export interface KeyValueCache {
  /** The value as UTF-8 text, or undefined when absent or expired. */
  get(key: string): Promise<string | undefined>;
  /** The value's exact bytes, or undefined when absent or expired. */
  getBuffer(key: string): Promise<Buffer | undefined>;
  /** Stores the value for `ttlSeconds` (a positive integer), replacing any previous one. */
  set(key: string, value: CacheValue, ttlSeconds: number): Promise<void>;
  /** Whether a value is stored (and not expired), without transferring it. */
  has(key: string): Promise<boolean>;
  /** Removes the value; true when there was one. */
  delete(key: string): Promise<boolean>;
}

export type MessageHandler = (message: string) => void;
export type Unsubscribe = () => Promise<void>;

export interface PubSub {
  /** Delivers to every current subscriber of the channel, in publish order per channel. */
  publish(channel: string, message: string): Promise<void>;
  /** Resolves once messages published from now on reach `handler`; call the result to stop. */
  subscribe(channel: string, handler: MessageHandler): Promise<Unsubscribe>;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** Requests still allowed in the current window after this one. */
  remaining: number;
  /** When denied, how long until one more request would be allowed; 0 when allowed. */
  retryAfterMs: number;
}

/**
 * Sliding-window log: a request is allowed when fewer than `limit` requests were allowed in the
 * last `windowMs`, so no window of that length ever holds more than `limit` (no boundary bursts).
 */
export interface RateLimiter {
  consume(key: string, limit: number, windowMs: number): Promise<RateLimitDecision>;
  /**
   * Admits as many of `wanted` requests as the window has room for (a batch whose items count
   * one each): `granted` of them are counted, the rest refused.
   */
  consumeUpTo(key: string, wanted: number, limit: number, windowMs: number): Promise<RateLimitGrant>;
}

export interface RateLimitGrant {
  /** Requests admitted and counted, 0…wanted. */
  granted: number;
  /** When fewer than wanted were granted, how long until one more would be; 0 otherwise. */
  retryAfterMs: number;
}
