import { Redis } from 'ioredis';
import type { Logger as PinoLogger } from 'pino';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  assertRole,
  type BlockingClient,
  type CommandsClient,
  type RedisClient,
  type RedisLogger,
  RedisManager,
  RedisRoleError,
  roleOf,
  type SubscriberClient,
} from '../src/index.ts';
import { RecordingLogger } from './support/recording-logger.ts';
import { SHARED_REDIS_URL, uniquePrefix } from './support/shared-redis.ts';

// These lines are checked by `tsc` (pnpm run typecheck): each @ts-expect-error fails the build if
// the call it marks ever compiles, i.e. if the roles stopped being distinct types.
function wrongRolesDoNotCompile(manager: RedisManager, plain: Redis): void {
  const needsCommands = (_client: CommandsClient) => {};
  const needsBlocking = (_client: BlockingClient) => {};
  // @ts-expect-error a blocking client is not a commands client
  needsCommands(manager.blocking());
  // @ts-expect-error a subscriber client is not a commands client
  needsCommands(manager.subscriber());
  // @ts-expect-error a commands client is not a blocking client
  needsBlocking(manager.commands());
  // @ts-expect-error a plain ioredis client has no role
  needsCommands(plain);
  needsCommands(manager.commands());
  needsBlocking(manager.bullmqWorker().connection);
}

describe('role types', () => {
  it('type check: are distinct, yet each is a usable ioredis client', () => {
    expectTypeOf(wrongRolesDoNotCompile).toBeFunction();
    expectTypeOf<CommandsClient>().not.toEqualTypeOf<BlockingClient>();
    expectTypeOf<SubscriberClient>().not.toExtend<CommandsClient>();
    expectTypeOf<CommandsClient>().toExtend<RedisClient>();
    expectTypeOf<RedisManager['bullmqQueue']>().returns.toEqualTypeOf<{
      connection: CommandsClient;
      prefix: string;
    }>();
  });

  it('type check: accept a pino logger', () => {
    expectTypeOf<PinoLogger>().toExtend<RedisLogger>();
  });
});

describe('assertRole', () => {
  it('passes the right client, narrows its type, and rejects others with a clear error', async () => {
    const manager = new RedisManager({
      url: SHARED_REDIS_URL,
      keyPrefix: uniquePrefix('roles'),
      logger: new RecordingLogger(),
    });
    const plain = new Redis({ lazyConnect: true });
    try {
      const handedOver: unknown = manager.commands();
      assertRole(handedOver, 'commands');
      expectTypeOf(handedOver).toEqualTypeOf<CommandsClient>();

      expect(roleOf(manager.blocking())).toBe('blocking');
      expect(() => assertRole(manager.blocking(), 'commands')).toThrow(
        'Expected a Redis "commands" client but got a "blocking" client; take it from RedisManager.commands()',
      );
      expect(() => assertRole(manager.commands(), 'subscriber')).toThrow(RedisRoleError);
      expect(() => assertRole(plain, 'blocking')).toThrow(/got a client not created by a RedisManager/);
      expect(() => assertRole(undefined, 'blocking')).toThrow(
        expect.objectContaining({ expected: 'blocking', actual: undefined }),
      );
    } finally {
      plain.disconnect();
      await manager.close();
    }
  });
});
