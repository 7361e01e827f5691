import { connect } from 'node:net';
import { ApplicationError, ExceptionTranslator } from '@chunkflow/errors';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { recognizeRedisError, translateRedisError } from '../src/index.ts';
import { freePort } from './support/redis-process.ts';

const translator = new ExceptionTranslator([recognizeRedisError]);

describe('recognizeRedisError on errors ioredis really raises', () => {
  it('turns exhausted retries into DEPENDENCY_UNAVAILABLE, keeping the original as cause', async () => {
    const nobody = await freePort();
    const client = new Redis({ port: nobody, maxRetriesPerRequest: 0, retryStrategy: () => 10 });
    client.on('error', () => {});
    try {
      const raw = await client.get('k').catch((error: unknown) => error);
      expect((raw as Error).name).toBe('MaxRetriesPerRequestError');
      const translated = translator.translate(raw);
      expect(translated).toMatchObject({
        code: 'DEPENDENCY_UNAVAILABLE',
        httpStatus: 503,
        retryAfter: 5,
        details: { dependency: 'redis', reason: 'retries-exhausted' },
      });
      expect(translated.cause).toBe(raw);
      // What a client sees: the code and a safe message, never the ioredis text.
      expect(translator.toPublic(translated, 'cid')).toEqual({
        code: 'DEPENDENCY_UNAVAILABLE',
        message: 'A service the request depends on is temporarily unavailable; retry later',
        correlationId: 'cid',
        details: { retryAfter: 5 },
      });
    } finally {
      client.disconnect();
    }
  });

  it('recognises a command on a closed connection', async () => {
    const client = new Redis({ lazyConnect: true });
    client.disconnect();
    const raw = await client.get('k').catch((error: unknown) => error);
    expect(recognizeRedisError(raw)).toMatchObject({ details: { reason: 'connection-closed' } });
  });

  it('leaves errors that are not Redis unavailability alone', async () => {
    const nobody = await freePort();
    // A refused TCP connection from anything else (an HTTP call, say) is not Redis' business.
    const refused = await new Promise<Error>((resolve) =>
      connect(nobody, '127.0.0.1').once('error', resolve),
    );
    for (const other of [
      refused,
      new Error('boom'),
      'text',
      undefined,
      { message: 'Connection is closed.' },
    ]) {
      expect(recognizeRedisError(other)).toBeUndefined();
      expect(translateRedisError(other)).toBe(other);
    }
    expect(translateRedisError(new Error('Command timed out'))).toBeInstanceOf(ApplicationError);
  });
});
