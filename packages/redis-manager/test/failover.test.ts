import type { EventEmitter } from 'node:events';
import { DependencyUnavailableError, ExceptionTranslator } from '@chunkflow/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RedisCache,
  RedisManager,
  RedisPubSub,
  RedisRateLimiter,
  recognizeRedisError,
} from '../src/index.ts';
import { RecordingLogger } from './support/recording-logger.ts';
import { RedisProcess } from './support/redis-process.ts';

const translator = new ExceptionTranslator([recognizeRedisError]);

/** Unlike events.once, does not reject on the 'error' events a client emits while Redis is down. */
function event(emitter: EventEmitter, name: string): Promise<unknown> {
  return new Promise((resolve) => emitter.once(name, resolve));
}

describe('against a private redis-server that is killed, frozen and restarted', () => {
  const logger = new RecordingLogger();
  let server: RedisProcess & { port: number };
  let manager: RedisManager;

  beforeAll(async () => {
    // A short busy-script threshold lets one test see a BUSY reply without waiting 5 s.
    server = await RedisProcess.standalone(['--busy-reply-threshold', '20']);
    manager = new RedisManager({
      url: `redis://127.0.0.1:${server.port}`,
      keyPrefix: 'failover',
      logger,
      policy: {
        commandTimeoutMs: 500,
        connectTimeoutMs: 500,
        reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
      },
      quitTimeoutMs: 300,
    });
    await Promise.all([manager.waitUntilReady('commands'), manager.waitUntilReady('subscriber')]);
  });

  afterAll(async () => {
    await manager.close();
    await server.stop();
  });

  /** Waits until the subscriber is ready and the server holds its subscription again. */
  async function untilResubscribed() {
    await manager.waitUntilReady('subscriber', 5_000);
    // The resubscription is sent when the subscriber is ready; wait until the server has it.
    const channel = manager.keys.of('channel', 'progress');
    while (((await manager.commands().pubsub('NUMSUB', channel)) as [string, number])[1] === 0) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it('fails fast with DEPENDENCY_UNAVAILABLE while Redis is down, then recovers and resubscribes', async () => {
    const pubsub = new RedisPubSub(manager, { logger });
    let deliver: (message: string) => void = () => {};
    const firstMessage = new Promise<string>((resolve) => {
      deliver = resolve;
    });
    await pubsub.subscribe('progress', (message) => deliver(message));
    const cache = new RedisCache(manager);
    await cache.set('k', 'before', 60);

    await server.kill();
    await event(manager.commands(), 'reconnecting');

    // Raw client: the ioredis error, translated at the edge.
    const raw = await manager
      .commands()
      .get('anything')
      .catch((error: unknown) => error);
    const translated = translator.translate(raw);
    expect(translated).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', httpStatus: 503, cause: raw });
    expect(translator.toPublic(translated, 'cid').code).toBe('DEPENDENCY_UNAVAILABLE');

    // Adapters: already typed, original kept as cause.
    const fromCache = await cache.get('k').catch((error: unknown) => error);
    expect(fromCache).toBeInstanceOf(DependencyUnavailableError);
    expect(fromCache).toMatchObject({ details: { dependency: 'redis', reason: 'offline' }, retryAfter: 5 });
    expect((fromCache as Error).cause).toBeInstanceOf(Error);
    await expect(new RedisRateLimiter(manager).consume('ip', 5, 1000)).rejects.toBeInstanceOf(
      DependencyUnavailableError,
    );
    await expect(pubsub.publish('progress', 'lost')).rejects.toBeInstanceOf(DependencyUnavailableError);
    await expect(pubsub.subscribe('other', () => {})).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(manager.isReady()).toBe(false);
    expect(await manager.ping()).toMatchObject({ ok: false, error: 'offline' });
    expect(logger.messages('commands')).toEqual(
      expect.arrayContaining(['redis connection closed', 'redis reconnecting', 'redis connection error']),
    );

    await server.restart();
    await manager.waitUntilReady('commands', 5_000);
    await manager.waitUntilReady('subscriber', 5_000);
    // No persistence: the restarted server is empty, and the client works against it again.
    expect(await cache.get('k')).toBeUndefined();
    await cache.set('k', 'after', 60);
    expect(await cache.get('k')).toBe('after');
    expect(await manager.ping()).toMatchObject({ ok: true });

    await untilResubscribed();
    await pubsub.publish('progress', 'after restart');
    expect(await firstMessage).toBe('after restart');
  });

  it('subscribes again after a reconnect whose first resubscription the server refuses', async () => {
    const pubsub = new RedisPubSub(manager, { logger });
    let deliver: (message: string) => void = () => {};
    const delivered = new Promise<string>((resolve) => {
      deliver = resolve;
    });
    await pubsub.subscribe('refused', (message) => deliver(message));
    const admin = manager.commands();
    const refusals = () =>
      logger.messages().filter((message) => message === 'redis resubscribe failed').length;
    const before = refusals();
    // Without channel permissions the server answers the reconnected subscriber's SUBSCRIBE with an
    // error: a rejection that, left unhandled, would end the process (and fail this test).
    await admin.call('ACL', 'SETUSER', 'default', 'resetchannels');
    try {
      await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
      while (refusals() === before) await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      await admin.call('ACL', 'SETUSER', 'default', 'allchannels');
    }
    const channel = manager.keys.of('channel', 'refused');
    while (((await admin.pubsub('NUMSUB', channel)) as [string, number])[1] === 0) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await pubsub.publish('refused', 'granted again');
    expect(await delivered).toBe('granted again');
  });

  it('keeps the blocking role waiting through an outage instead of failing', async () => {
    await manager.waitUntilReady('blocking');
    const blocking = manager.blocking();
    await server.kill();
    await event(blocking, 'reconnecting');
    const queued = blocking.set(manager.keys.of('queued'), 'written after restart');
    await server.restart();
    expect(await queued).toBe('OK');
    await manager.waitUntilReady('commands', 5_000);
    expect(await manager.commands().get(manager.keys.of('queued'))).toBe('written after restart');
  });

  it('times out instead of hanging when the server stops answering', async () => {
    const frozenAt = server;
    frozenAt.freeze();
    try {
      const error = await new RedisCache(manager).get('k').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DependencyUnavailableError);
      expect(error).toMatchObject({ details: { reason: 'timeout' } });
    } finally {
      frozenAt.thaw();
    }
    await manager.waitUntilReady('commands', 5_000);
    expect(await manager.commands().ping()).toBe('PONG');
  });

  it('recognises a busy server as unavailable and a wrong command as a bug', async () => {
    const looping = manager
      .blocking()
      .eval('while true do end', 0)
      .catch((error: unknown) => error);
    let busy: unknown;
    // The script holds the server; once past the threshold other clients get a BUSY reply.
    while (busy === undefined) {
      busy = await manager
        .commands()
        .ping()
        .then(
          () => undefined,
          (error: unknown) => error,
        );
    }
    expect(recognizeRedisError(busy)).toMatchObject({
      code: 'DEPENDENCY_UNAVAILABLE',
      details: { reason: 'server-busy' },
    });
    await manager.commands().script('KILL');
    await looping;

    const key = manager.keys.of('a-string');
    await manager.commands().set(key, 'text');
    const wrongType = await manager
      .commands()
      .lpush(key, 'x')
      .catch((error: unknown) => error);
    expect(recognizeRedisError(wrongType)).toBeUndefined();
    expect(translator.translate(wrongType).code).toBe('INTERNAL_ERROR');
  });

  it.each([
    ['QUIT outlives the close timeout', { commandTimeoutMs: 2_000, quitTimeoutMs: 200 }],
    ['QUIT itself times out first', { commandTimeoutMs: 100, quitTimeoutMs: 300 }],
  ])('closes every connection even when the server does not answer (%s)', async (_case, timeouts) => {
    const closing = new RedisManager({
      url: `redis://127.0.0.1:${server.port}`,
      keyPrefix: 'closing',
      logger,
      policy: { commandTimeoutMs: timeouts.commandTimeoutMs },
      quitTimeoutMs: timeouts.quitTimeoutMs,
    });
    await closing.waitUntilReady('commands');
    await closing.waitUntilReady('subscriber');
    const clients = [closing.commands(), closing.subscriber()];
    server.freeze();
    try {
      await closing.close();
      expect(clients.map((client) => client.status)).toEqual(['end', 'end']);
    } finally {
      server.thaw();
    }
  });
});
