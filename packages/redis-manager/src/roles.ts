import type { Cluster, Redis } from 'ioredis';

/** A connection to one server (standalone or through Sentinel) or to a Cluster. */
export type RedisClient = Redis | Cluster;

export const clientRoles = ['commands', 'subscriber', 'blocking'] as const;

/**
 * What a connection is for: `commands` serves requests and fails fast, `subscriber` is held in
 * pub/sub mode, `blocking` waits as long as needed (BullMQ workers, blocking reads).
 */
export type ClientRole = (typeof clientRoles)[number];

declare const roleBrand: unique symbol;

/** A client configured for one role; the brand makes clients of different roles incompatible types. */
export type RoleClient<R extends ClientRole> = RedisClient & { readonly [roleBrand]: R };
export type CommandsClient = RoleClient<'commands'>;
export type SubscriberClient = RoleClient<'subscriber'>;
export type BlockingClient = RoleClient<'blocking'>;

// Types vanish at runtime; this registry is what lets assertRole check a client handed over from untyped code.
const roleOfClient = new WeakMap<RedisClient, ClientRole>();

export function brandClient<R extends ClientRole>(client: RedisClient, role: R): RoleClient<R> {
  roleOfClient.set(client, role);
  return client as RoleClient<R>;
}

export function roleOf(client: unknown): ClientRole | undefined {
  return typeof client === 'object' && client !== null ? roleOfClient.get(client as RedisClient) : undefined;
}

export class RedisRoleError extends TypeError {
  readonly expected: ClientRole;
  readonly actual: ClientRole | undefined;

  constructor(expected: ClientRole, actual: ClientRole | undefined) {
    const got = actual === undefined ? 'a client not created by a RedisManager' : `a "${actual}" client`;
    super(`Expected a Redis "${expected}" client but got ${got}; take it from RedisManager.${expected}()`);
    this.name = 'RedisRoleError';
    this.expected = expected;
    this.actual = actual;
  }
}

/** Runtime counterpart of the branded types, for clients that crossed an untyped boundary. */
export function assertRole<R extends ClientRole>(
  client: unknown,
  expected: R,
): asserts client is RoleClient<R> {
  const actual = roleOf(client);
  if (actual !== expected) throw new RedisRoleError(expected, actual);
}
