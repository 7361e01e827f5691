import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { RedisConnectionConfig } from './connection-config.ts';
import { SOCKET_END_GRACE_MS } from './graceful-close.ts';
import type { ClientRole, RedisClient } from './roles.ts';

/** How hard each connection tries; the defaults suit a request path that must not hang. */
export interface ConnectionPolicy {
  /** TCP + handshake budget for one connection attempt. */
  connectTimeoutMs: number;
  /** Longest a request-path command may wait for its reply (commands role; subscribe calls). */
  commandTimeoutMs: number;
  /** Reconnection attempts an in-flight request-path command survives before it is rejected. */
  maxRetriesPerRequest: number;
  /** Reconnect backoff: doubles from `initialDelayMs` up to `maxDelayMs`, with jitter. */
  reconnect: { initialDelayMs: number; maxDelayMs: number };
}

export const defaultConnectionPolicy: ConnectionPolicy = {
  connectTimeoutMs: 2_000,
  commandTimeoutMs: 2_000,
  maxRetriesPerRequest: 1,
  reconnect: { initialDelayMs: 100, maxDelayMs: 2_000 },
};

/**
 * The options that make a role: `commands` and `subscriber` reject at once while disconnected
 * (no offline queue) and bound every command by a timeout; `blocking` queues and retries forever,
 * as BullMQ requires (`maxRetriesPerRequest: null`), and connects only when first used.
 */
export function roleOptions(role: ClientRole, policy: ConnectionPolicy): RedisOptions {
  const failFast = {
    enableOfflineQueue: false,
    maxRetriesPerRequest: policy.maxRetriesPerRequest,
    commandTimeout: policy.commandTimeoutMs,
  };
  switch (role) {
    case 'commands':
      return failFast;
    case 'subscriber':
      // ioredis would restore subscriptions after a reconnect with a SUBSCRIBE whose rejection
      // (a BUSY server, a refused channel) nobody can catch: an unhandled rejection ends the process.
      // RedisPubSub resubscribes itself, and bounds the subscriptions it asks for, so this role has
      // neither automatic resubscription nor a command timeout.
      return { enableOfflineQueue: false, maxRetriesPerRequest: null, autoResubscribe: false };
    case 'blocking':
      return { enableOfflineQueue: true, maxRetriesPerRequest: null, lazyConnect: true };
  }
}

export function reconnectDelay(policy: ConnectionPolicy): (attempt: number) => number {
  const { initialDelayMs, maxDelayMs } = policy.reconnect;
  return (attempt) => {
    const ceiling = Math.min(initialDelayMs * 2 ** (attempt - 1), maxDelayMs);
    // Half fixed, half random, so many processes do not reconnect in lockstep after an outage.
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  };
}

function tlsOptions(config: RedisConnectionConfig): RedisOptions['tls'] {
  if (config.tls !== undefined) return config.tls;
  return config.useTls ? {} : undefined;
}

export function createClient(
  config: RedisConnectionConfig,
  role: ClientRole,
  policy: ConnectionPolicy,
  connectionName: string,
): RedisClient {
  const tls = tlsOptions(config);
  const options: RedisOptions = {
    ...roleOptions(role, policy),
    connectionName,
    connectTimeout: policy.connectTimeoutMs,
    disconnectTimeout: SOCKET_END_GRACE_MS,
    retryStrategy: reconnectDelay(policy),
    ...(config.username === undefined ? {} : { username: config.username }),
    ...(config.password === undefined ? {} : { password: config.password }),
    ...(tls === undefined ? {} : { tls }),
  };
  switch (config.kind) {
    case 'standalone':
      return new Redis({ ...options, host: config.host, port: config.port, db: config.db });
    case 'sentinel':
      return new Redis({
        ...options,
        sentinels: config.sentinels,
        name: config.masterName,
        db: config.db,
        ...(config.sentinelUsername === undefined ? {} : { sentinelUsername: config.sentinelUsername }),
        ...(config.sentinelPassword === undefined ? {} : { sentinelPassword: config.sentinelPassword }),
        // TLS to the master and replicas, and to the sentinels themselves.
        enableTLSForSentinelMode: tls !== undefined,
        ...(tls === undefined ? {} : { sentinelTLS: tls }),
      });
    case 'cluster': {
      const { enableOfflineQueue, lazyConnect, retryStrategy, ...redisOptions } = options;
      return new Cluster(config.nodes, {
        ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
        ...(lazyConnect === undefined ? {} : { lazyConnect }),
        ...(retryStrategy === undefined ? {} : { clusterRetryStrategy: retryStrategy }),
        redisOptions,
      });
    }
  }
}
