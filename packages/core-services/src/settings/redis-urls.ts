/** The variable that points each Redis role at its own Redis; unset, the role uses `REDIS_URL`. */
export const REDIS_ROLE_VARIABLES = {
  queue: 'REDIS_QUEUE_URL',
  limits: 'REDIS_LIMITS_URL',
  cache: 'REDIS_CACHE_URL',
} as const;

type Role = keyof typeof REDIS_ROLE_VARIABLES;

/** The Redis settings as `settingsFrom` reads them. */
export interface RedisUrlSettings {
  redisUrl: string | undefined;
  redisQueueUrl: string | undefined;
  redisLimitsUrl: string | undefined;
  redisCacheUrl: string | undefined;
}

/** Where each role's Redis is, and the variable that sets it (named in start-up advice). */
export interface RedisRoleUrls {
  urls: Record<Role, string>;
  settingNames: Record<Role, string>;
}

function ownUrls(storage: RedisUrlSettings): Record<Role, string | undefined> {
  return { queue: storage.redisQueueUrl, limits: storage.redisLimitsUrl, cache: storage.redisCacheUrl };
}

/**
 * Each role's URL (its own variable, else `REDIS_URL`), or undefined when no Redis is configured
 * (embedded mode: everything in process). A partial set is refused when settings are read.
 */
export function redisRoleUrls(storage: RedisUrlSettings): RedisRoleUrls | undefined {
  const own = ownUrls(storage);
  const queue = own.queue ?? storage.redisUrl;
  const limits = own.limits ?? storage.redisUrl;
  const cache = own.cache ?? storage.redisUrl;
  if (queue === undefined || limits === undefined || cache === undefined) return undefined;
  return { urls: { queue, limits, cache }, settingNames: REDIS_ROLE_VARIABLES };
}

/**
 * Why these settings name Redis for some roles but not for others, if they do: the in-process
 * stand-ins cannot share a queue or a rate limit with a Redis, so it is all or none.
 */
export function partialRedisRoles(storage: RedisUrlSettings): string | undefined {
  if (storage.redisUrl !== undefined) return undefined;
  const own = ownUrls(storage);
  const set = (Object.keys(own) as Role[]).filter((role) => own[role] !== undefined);
  if (set.length === 0 || set.length === 3) return undefined;
  const unset = (Object.keys(own) as Role[]).filter((role) => own[role] === undefined);
  return `${set.map((role) => REDIS_ROLE_VARIABLES[role]).join(', ')} set but ${unset.map((role) => REDIS_ROLE_VARIABLES[role]).join(', ')} and REDIS_URL unset: set REDIS_URL (the default of every Redis role) or all of ${Object.values(REDIS_ROLE_VARIABLES).join(', ')}`;
}
