import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { DependencyUnavailableError } from '@chunkflow/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCache, RedisManager } from '../src/index.ts';
import { RecordingLogger } from './support/recording-logger.ts';
import { SHARED_REDIS_URL, uniquePrefix } from './support/shared-redis.ts';

describe('RedisManager on the shared Redis', () => {
  const logger = new RecordingLogger();
  let manager: RedisManager;

  beforeAll(async () => {
    manager = new RedisManager({ url: SHARED_REDIS_URL, keyPrefix: uniquePrefix('manager'), logger });
    await manager.waitUntilReady();
  });

  afterAll(async () => {
    await manager.purgeKeys();
    await manager.close();
  });

  it('caches a value with the commands client and reads it back (the seed validation)', async () => {
    const commands = manager.commands();
    const key = manager.keys.of('preview', 'test');
    await commands.set(key, JSON.stringify({ data: 'test' }), 'EX', 60);
    expect(JSON.parse((await commands.get(key)) ?? 'null')).toEqual({ data: 'test' });

    const cache = new RedisCache(manager);
    await cache.set('preview:test', JSON.stringify({ data: 'test' }), 60);
    expect(JSON.parse((await cache.get('preview:test')) ?? 'null')).toEqual({ data: 'test' });
  });

  it('creates one client per role on first use and reuses it', async () => {
    const [commands, subscriber, blocking] = [manager.commands(), manager.subscriber(), manager.blocking()];
    expect(new Set([commands, subscriber, blocking]).size).toBe(3);
    expect(manager.commands()).toBe(commands);
    expect(manager.subscriber()).toBe(subscriber);
    expect(manager.blocking()).toBe(blocking);
    // Each connection is named after its prefix and role, so CLIENT LIST shows who holds it.
    expect(await commands.client('GETNAME')).toBe(manager.keys.of('commands'));
  });

  it('serves blocking reads on the blocking client while the commands client keeps working', async () => {
    const list = manager.keys.of('jobs');
    const waiting = manager.blocking().blpop(list, 5);
    // The commands connection is not held up by the blocked one.
    expect(await manager.commands().ping()).toBe('PONG');
    await manager.commands().rpush(list, 'job-1');
    expect(await waiting).toEqual([list, 'job-1']);
  });

  it('reports health and readiness', async () => {
    expect(manager.isReady()).toBe(true);
    const health = await manager.ping();
    expect(health.ok).toBe(true);
    expect(health.latencyMs).toBeGreaterThanOrEqual(0);
    expect(health.error).toBeUndefined();
  });

  it('logs connection events per role without credentials', async () => {
    const url = new URL(SHARED_REDIS_URL);
    // A user without a password accepts any: a secret the logs must never show.
    if (!url.password) {
      url.username = 'default';
      url.password = `secret-${randomUUID()}`;
    }
    const secret = decodeURIComponent(url.password);
    const recorded = new RecordingLogger();
    const withCredentials = new RedisManager({
      url: url.toString(),
      keyPrefix: uniquePrefix('credentials'),
      logger: recorded,
    });
    try {
      await withCredentials.waitUntilReady();
      expect(recorded.messages('commands')).toEqual(
        expect.arrayContaining(['redis connected', 'redis ready']),
      );
      const described = `redis://${url.hostname}:${url.port || 6379}/${url.pathname.slice(1) || 0}`;
      expect(recorded.entries.map((entry) => entry.context.redis)).toEqual(
        recorded.entries.map(() => described),
      );
      expect(JSON.stringify(recorded.entries)).not.toContain(secret);
    } finally {
      await withCredentials.close();
    }
  });

  it('purges only its own prefix', async () => {
    const neighbour = new RedisManager({
      url: SHARED_REDIS_URL,
      keyPrefix: uniquePrefix('neighbour'),
      logger,
    });
    const other = new RedisManager({ url: SHARED_REDIS_URL, keyPrefix: uniquePrefix('purged'), logger });
    try {
      await Promise.all([neighbour.waitUntilReady(), other.waitUntilReady()]);
      await neighbour.commands().set(neighbour.keys.of('kept'), '1');
      for (let i = 0; i < 1200; i++) other.commands().set(other.keys.of('gone', i), '1');
      await other.commands().ping();
      expect(await other.purgeKeys()).toBe(1200);
      expect(await other.commands().keys(other.keys.pattern)).toEqual([]);
      expect(await neighbour.commands().get(neighbour.keys.of('kept'))).toBe('1');
    } finally {
      await neighbour.purgeKeys();
      await Promise.all([neighbour.close(), other.close()]);
    }
  });

  it('fails the first commands of a client that is not connected yet instead of queueing them', async () => {
    const fresh = new RedisManager({ url: SHARED_REDIS_URL, keyPrefix: uniquePrefix('fresh'), logger });
    try {
      await expect(new RedisCache(fresh).get('x')).rejects.toBeInstanceOf(DependencyUnavailableError);
      await fresh.waitUntilReady();
      expect(await new RedisCache(fresh).get('x')).toBeUndefined();
    } finally {
      await fresh.close();
    }
  });

  it('closes every role with QUIT, then refuses new clients', async () => {
    const closing = new RedisManager({ url: SHARED_REDIS_URL, keyPrefix: uniquePrefix('closing'), logger });
    await closing.waitUntilReady();
    await closing.waitUntilReady('subscriber');
    const subscriber = closing.subscriber();
    await subscriber.subscribe(closing.keys.of('channel', 'x'));
    await closing.waitUntilReady('blocking');
    const blocking = closing.blocking();
    const clients = [closing.commands(), subscriber, blocking];
    const ended = clients.map((client) => once(client, 'end'));

    await Promise.all([closing.close(), closing.close()]);
    await Promise.all(ended);
    expect(clients.map((client) => client.status)).toEqual(['end', 'end', 'end']);
    expect(() => closing.commands()).toThrow('RedisManager is closed');
  });

  it('closes a lazy blocking client without ever connecting it', async () => {
    const lazy = new RedisManager({ url: SHARED_REDIS_URL, keyPrefix: uniquePrefix('lazy'), logger });
    const blocking = lazy.blocking();
    expect(blocking.status).toBe('wait');
    await lazy.close();
    expect(blocking.status).toBe('end');
  });
});
