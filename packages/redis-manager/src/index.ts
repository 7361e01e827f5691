export { type ConnectionPolicy, defaultConnectionPolicy } from './client-factory.ts';
export {
  type ClusterConfig,
  describeConnection,
  parseRedisUrl,
  type RedisConnectionConfig,
  type RedisNode,
  type SentinelConfig,
  type StandaloneConfig,
} from './connection-config.ts';
export {
  type RedisUnavailableReason,
  recognizeRedisError,
  translateRedisError,
} from './errors.ts';
export { KeyNamer } from './key-namer.ts';
export type { RedisLogger } from './logger.ts';
export type { Clock } from './memory/clock.ts';
export { MemoryCache, type MemoryCacheOptions } from './memory/memory-cache.ts';
export { MemoryPubSub } from './memory/memory-pub-sub.ts';
export { MemoryRateLimiter, type MemoryRateLimiterOptions } from './memory/memory-rate-limiter.ts';
export { judgeMemoryPolicies, type PolicyVerdict, type RoleMemory } from './memory-policy-rules.ts';
export type {
  CacheValue,
  KeyValueCache,
  MessageHandler,
  PubSub,
  RateLimitDecision,
  RateLimiter,
  RateLimitGrant,
  Unsubscribe,
} from './ports.ts';
export { RedisCache } from './redis/redis-cache.ts';
export { RedisPubSub } from './redis/redis-pub-sub.ts';
export { RedisRateLimiter } from './redis/redis-rate-limiter.ts';
export { RedisDeployment, type RedisDeploymentOptions } from './redis-deployment.ts';
export {
  type BullmqConnection,
  type PingResult,
  RedisManager,
  type RedisManagerOptions,
} from './redis-manager.ts';
export { type RedisRole, type RedisRoleDuty, redisRoleDuties, redisRoles } from './redis-roles.ts';
export {
  assertRole,
  type BlockingClient,
  type ClientRole,
  type CommandsClient,
  clientRoles,
  type RedisClient,
  RedisRoleError,
  type RoleClient,
  roleOf,
  type SubscriberClient,
} from './roles.ts';
export { infoFields, readServerMemory, type ServerMemory } from './server-memory.ts';
