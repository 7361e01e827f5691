import { performance } from 'node:perf_hooks';
import { Cluster, type Redis } from 'ioredis';
import { type ConnectionPolicy, createClient, defaultConnectionPolicy } from './client-factory.ts';
import { describeConnection, parseRedisUrl, type RedisConnectionConfig } from './connection-config.ts';
import { logConnectionEvents } from './connection-events.ts';
import { recognizeRedisError, redisUnavailable } from './errors.ts';
import { closeGracefully } from './graceful-close.ts';
import { KeyNamer } from './key-namer.ts';
import type { RedisLogger } from './logger.ts';
import {
  type BlockingClient,
  brandClient,
  type ClientRole,
  type CommandsClient,
  type RedisClient,
  type RoleClient,
  type SubscriberClient,
} from './roles.ts';
import { fulfilsWithin } from './timeout.ts';

export type RedisManagerOptions = ({ url: string } | { connection: RedisConnectionConfig }) & {
  /** One prefix per deployment or test run; every key, channel and queue lives under it. */
  keyPrefix: string;
  logger: RedisLogger;
  policy?: Partial<ConnectionPolicy>;
  /** How long close() waits for QUIT before dropping connections. */
  quitTimeoutMs?: number;
};

export interface PingResult {
  ok: boolean;
  latencyMs: number;
  /** Why the ping failed (`details.reason` of the translated error, or its message). */
  error?: string;
}

/** What BullMQ's Queue/Worker/QueueEvents constructors take; spread it into their options. */
export interface BullmqConnection<C extends RedisClient> {
  connection: C;
  prefix: string;
}

/**
 * Owns the Redis connections of a process and hands out one client per role, created on first
 * use and reused: `commands()` for the request path, `subscriber()` for pub/sub, `blocking()` for
 * BullMQ workers and blocking reads. `close()` shuts all of them down.
 */
export class RedisManager {
  readonly keys: KeyNamer;
  /** Where this manager connects, without credentials (for logs and health output). */
  readonly description: string;
  readonly #config: RedisConnectionConfig;
  readonly #policy: ConnectionPolicy;
  readonly #logger: RedisLogger;
  readonly #quitTimeoutMs: number;
  readonly #clients = new Map<ClientRole, RedisClient>();
  #closing: Promise<void> | undefined;

  constructor(options: RedisManagerOptions) {
    this.#config = 'url' in options ? parseRedisUrl(options.url) : options.connection;
    this.keys = new KeyNamer(options.keyPrefix);
    this.description = describeConnection(this.#config);
    this.#policy = {
      ...defaultConnectionPolicy,
      ...options.policy,
      reconnect: { ...defaultConnectionPolicy.reconnect, ...options.policy?.reconnect },
    };
    this.#logger = options.logger;
    this.#quitTimeoutMs = options.quitTimeoutMs ?? 2_000;
  }

  get isCluster(): boolean {
    return this.#config.kind === 'cluster';
  }

  /** Request-path client: while Redis is down its commands reject at once (DEPENDENCY_UNAVAILABLE). */
  commands(): CommandsClient {
    return this.#client('commands');
  }

  /** Dedicated pub/sub connection; its subscriptions are restored after a reconnect. */
  subscriber(): SubscriberClient {
    return this.#client('subscriber');
  }

  /** Waits as long as it takes (`maxRetriesPerRequest: null`); one blocking command at a time. */
  blocking(): BlockingClient {
    return this.#client('blocking');
  }

  /**
   * For BullMQ `Queue` (producers in the request path): the shared commands client, so adding a
   * job fails fast while Redis is down. BullMQ leaves a client it was given open.
   */
  bullmqQueue(): BullmqConnection<CommandsClient> {
    return { connection: this.commands(), prefix: this.#bullmqPrefix() };
  }

  /**
   * For BullMQ `Worker` and `QueueEvents`: BullMQ duplicates this blocking client into the
   * connections it owns (and closes), so it keeps `maxRetriesPerRequest: null`.
   */
  bullmqWorker(): BullmqConnection<BlockingClient> {
    return { connection: this.blocking(), prefix: this.#bullmqPrefix() };
  }

  /** How long a request-path command may wait for its reply. */
  get commandTimeoutMs(): number {
    return this.#policy.commandTimeoutMs;
  }

  /**
   * Resolves once the role's client is ready (connecting it if it is lazy); DEPENDENCY_UNAVAILABLE
   * when it is not within the timeout. Call it at startup: fail-fast clients reject commands
   * issued before their first connection is up.
   */
  async waitUntilReady(
    role: ClientRole = 'commands',
    timeoutMs = this.#policy.connectTimeoutMs,
  ): Promise<void> {
    const client = this.#client(role);
    if (client.status === 'ready') return;
    let lastError: unknown;
    const onError = (error: unknown) => {
      lastError = error;
    };
    let onReady = () => {};
    const ready = new Promise<void>((resolve) => {
      onReady = resolve;
    });
    client.on('error', onError);
    client.once('ready', onReady);
    // A lazy client connects on demand; a failed attempt is reported through 'error' and the timeout.
    if (client.status === 'wait') client.connect().catch(() => {});
    try {
      if (!(await fulfilsWithin(ready, timeoutMs))) throw redisUnavailable('offline', lastError);
    } finally {
      client.off('error', onError);
      client.off('ready', onReady);
    }
  }

  isReady(): boolean {
    return this.#closing === undefined && this.commands().status === 'ready';
  }

  /** Round trip on the commands client; never throws, so health endpoints can report it as is. */
  async ping(): Promise<PingResult> {
    const started = performance.now();
    try {
      await this.commands().ping();
      return { ok: true, latencyMs: performance.now() - started };
    } catch (error) {
      const latencyMs = performance.now() - started;
      const reason = recognizeRedisError(error)?.details?.reason;
      return {
        ok: false,
        latencyMs,
        error: String(reason ?? (error instanceof Error ? error.message : error)),
      };
    }
  }

  /** Deletes every key under this manager's prefix (test runs, tenant-free resets); returns the count. */
  async purgeKeys(): Promise<number> {
    const client = this.commands();
    const servers: Redis[] = client instanceof Cluster ? client.nodes('master') : [client];
    let deleted = 0;
    for (const server of servers) {
      for await (const keys of server.scanStream({ match: this.keys.pattern, count: 500 })) {
        // Cluster nodes each hold their own keys; UNLINK one by one keeps every call single-slot.
        for (const key of keys as string[]) deleted += await server.unlink(key);
      }
    }
    return deleted;
  }

  /** QUIT every connection (dropping those that do not answer in time); idempotent. */
  close(): Promise<void> {
    this.#closing ??= Promise.all(
      [...this.#clients.values()].map((client) => closeGracefully(client, this.#quitTimeoutMs)),
    ).then(() => {
      this.#clients.clear();
    });
    return this.#closing;
  }

  #client<R extends ClientRole>(role: R): RoleClient<R> {
    if (this.#closing !== undefined) throw new Error(`RedisManager is closed; no new "${role}" client`);
    let client = this.#clients.get(role);
    if (client === undefined) {
      client = createClient(this.#config, role, this.#policy, this.keys.of(role));
      logConnectionEvents(client, role, this.description, this.#logger);
      this.#clients.set(role, client);
      brandClient(client, role);
    }
    return client as RoleClient<R>;
  }

  #bullmqPrefix(): string {
    // In a Cluster all keys of a queue must share a slot: the hash tag pins them together.
    return this.isCluster ? this.keys.of(`{${this.keys.prefix}:bull}`) : this.keys.of('bull');
  }
}
