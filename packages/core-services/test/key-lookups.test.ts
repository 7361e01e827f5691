import { randomUUID } from 'node:crypto';
import { type PubSub, RedisManager } from '@chunkflow/redis-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthService, KeyLookups, keyRevocationsChannel } from '../src/index.ts';
import { type EmbeddedServices, openEmbeddedServices, silentLogger } from './support/embedded.ts';

// Two AuthServices over one database stand for two server processes: each remembers its lookups,
// and a key revoked through either is refused by both at once.

let embedded: EmbeddedServices;
beforeAll(async () => {
  embedded = await openEmbeddedServices();
});
afterAll(() => embedded?.close());

async function twoProcesses(channels: [PubSub, PubSub]) {
  const lookups = channels.map((channel) => new KeyLookups(channel, silentLogger));
  await Promise.all(lookups.map((each) => each.listen()));
  const [first, second] = lookups.map((each) => new AuthService(embedded.database, silentLogger, each)) as [
    AuthService,
    AuthService,
  ];
  return { first, second, close: () => Promise.all(lookups.map((each) => each.close())) };
}

/** A key of a fresh tenant, known to both processes' lookups. */
async function rememberedKey(first: AuthService, second: AuthService) {
  const tenantName = `keys-${randomUUID()}`;
  const apiKey = await first.createApiKey(tenantName, 'test');
  const tenant = await first.authenticate(apiKey);
  expect(await second.authenticate(apiKey)).toEqual(tenant);
  return { tenantName, apiKey, tenant };
}

describe('remembered key lookups', () => {
  it('answer without the database until a revocation is announced, which both processes hear at once', async () => {
    const channel = keyRevocationsChannel(undefined, silentLogger);
    const { first, second, close } = await twoProcesses([channel, channel]);
    try {
      const { apiKey, tenant } = await rememberedKey(first, second);
      // Revoked behind the services' back: the remembered lookup still answers (no round trip)…
      await embedded.database.tenants.revokeApiKey(tenant.id, tenant.apiKeyId);
      expect(await second.authenticate(apiKey)).toEqual(tenant);

      // …and a revocation through the service is heard by every process before it returns.
      const other = await rememberedKey(first, second);
      expect(await first.revokeApiKey(other.tenantName, other.tenant.apiKeyId)).toBe(true);
      await expect(second.authenticate(other.apiKey)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
      await expect(first.authenticate(other.apiKey)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
      // Every lookup was forgotten, so the key revoked behind their back is refused too.
      await expect(second.authenticate(apiKey)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    } finally {
      await close();
    }
  });

  it('reach processes on other Redis connections through pub/sub', async () => {
    const keyPrefix = `key-lookups-${randomUUID()}`;
    const url = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
    const managers = [0, 1].map(() => new RedisManager({ url, keyPrefix, logger: silentLogger }));
    await Promise.all(managers.map((manager) => manager.waitUntilReady()));
    const { first, second, close } = await twoProcesses(
      managers.map((manager) => keyRevocationsChannel(manager, silentLogger)) as [PubSub, PubSub],
    );
    try {
      const { tenantName, apiKey, tenant } = await rememberedKey(first, second);
      expect(await first.revokeApiKey(tenantName, tenant.apiKeyId)).toBe(true);
      // Pub/sub delivers after the publish returns: the other process refuses it within moments.
      await expect
        .poll(
          () =>
            second.authenticate(apiKey).then(
              () => 'accepted',
              (error: { code: string }) => error.code,
            ),
          {
            timeout: 2_000,
            interval: 5,
          },
        )
        .toBe('UNAUTHORIZED');
    } finally {
      await close();
      await Promise.all(managers.map((manager) => manager.close()));
    }
  });

  it('are not kept by a process that cannot hear revocations', async () => {
    const unreachable = new RedisManager({
      url: 'redis://127.0.0.1:1',
      keyPrefix: 'key-lookups-down',
      logger: silentLogger,
    });
    const lookups = new KeyLookups(keyRevocationsChannel(unreachable, silentLogger), silentLogger);
    try {
      await lookups.listen();
      const auth = new AuthService(embedded.database, silentLogger, lookups);
      const apiKey = await auth.createApiKey(`keys-${randomUUID()}`, 'test');
      const tenant = await auth.authenticate(apiKey);
      await embedded.database.tenants.revokeApiKey(tenant.id, tenant.apiKeyId);
      await expect(auth.authenticate(apiKey)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    } finally {
      await lookups.close();
      await unreachable.close();
    }
  });
});
