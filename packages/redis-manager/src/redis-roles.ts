/**
 * Which Redis a piece of state lives on. A deployment may give each role a Redis of its own, because
 * they want opposite memory policies: the queue must never lose a key, the cache should lose its
 * least-used ones. (Not to be confused with a client's role, `commands`/`subscriber`/`blocking`:
 * every Redis of every role hands out those three kinds of connection.)
 */
export const redisRoles = ['queue', 'limits', 'cache'] as const;

export type RedisRole = (typeof redisRoles)[number];

/** What a role's Redis holds, and which `maxmemory-policy` it needs. */
export interface RedisRoleDuty {
  holds: string;
  /**
   * `refuse`: an evicting policy loses work, so a process will not start on one. `warn`: eviction
   * weakens a guarantee (a rate-limit window forgotten), so it is logged. `expected`: eviction is
   * how it stays bounded.
   */
  eviction: 'refuse' | 'warn' | 'expected';
  policy: string;
}

export const redisRoleDuties: Record<RedisRole, RedisRoleDuty> = {
  queue: {
    holds: 'BullMQ jobs, operation progress streams and their pub/sub',
    eviction: 'refuse',
    policy: '`noeviction` (BullMQ requires it); size it for the queue, it stays small',
  },
  limits: {
    holds: 'rate-limit windows and pub/sub announcements (e.g. API-key revocation)',
    eviction: 'warn',
    policy: '`noeviction`; small (one sorted set per active key and class)',
  },
  cache: {
    holds: 'the preview and statistics caches',
    eviction: 'expected',
    policy: '`allkeys-lru` with a `maxmemory`: the cache is bounded and sheds its coldest previews',
  },
};
