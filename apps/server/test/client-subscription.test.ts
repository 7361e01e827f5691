import { Writable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { createChunkflowClient, isPermanentError, type TRPCClientError } from '@chunkflow/client';
import { createLogger } from '@chunkflow/core-services';
import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;
/** URLs of the requests the server logged. */
const requestUrls: string[] = [];

beforeAll(async () => {
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) {
        const entry = line ? (JSON.parse(line) as { msg?: string; url?: string }) : {};
        if (entry.msg === 'request' && entry.url) requestUrls.push(entry.url);
      }
      callback();
    },
  });
  server = await startTestServer('embedded', { logger: createLogger('info', { destination }) });
});
afterAll(async () => {
  await server?.close();
});

describe('typed client subscriptions', () => {
  it('follows an operation to completion over SSE with the API key as connection params', async () => {
    const client = createChunkflowClient({ url: server.url, apiKey: server.apiKey, EventSource });
    const collection = await client.collections.create.mutate({ name: 'subscribed' });
    for (const name of ['a', 'b', 'c']) {
      await client.documents.create.mutate({
        collectionId: collection.id,
        name,
        content: `Document ${name}. ${'Some sentence about chunking. '.repeat(40)}`,
      });
    }
    const { operationId } = await client.chunking.applyToCollection.mutate({
      collectionId: collection.id,
      strategy: 'sentence',
      config: { chunkSize: 200, chunkOverlap: 0 },
    });

    const types = await new Promise<string[]>((resolve, reject) => {
      const seen: string[] = [];
      const subscription = client.operations.progress.subscribe(
        { operationId },
        {
          onData: ({ data }) => {
            seen.push(data.type);
            if (['completed', 'failed', 'cancelled'].includes(data.type)) {
              subscription.unsubscribe();
              resolve(seen);
            }
          },
          onError: reject,
        },
      );
    });
    expect(types[0]).toBe('started');
    expect(types.filter((type) => type === 'document_completed')).toHaveLength(3);
    expect(types.at(-1)).toBe('completed');
  });

  /** Requests for operations.progress the server has answered. */
  const progressCalls = () => requestUrls.filter((url) => url.startsWith('/trpc/operations.progress')).length;

  it.each([
    ['NOT_FOUND', () => server.apiKey],
    ['UNAUTHORIZED', () => `cf_not_a_key_${'x'.repeat(32)}`],
  ])('ends the subscription with %s, surfaced to onError, instead of reconnecting', async (code, apiKey) => {
    const client = createChunkflowClient({ url: server.url, apiKey: apiKey(), EventSource });
    const before = progressCalls();
    const error = await new Promise<unknown>((resolve) => {
      client.operations.progress.subscribe(
        { operationId: '00000000-0000-4000-8000-000000000000' },
        { onData: () => resolve(new Error('unexpected data')), onError: resolve },
      );
    });
    expect(isPermanentError(error)).toBe(true);
    expect((error as TRPCClientError<never>).data).toMatchObject({ code });
    // The EventSource would reconnect within about 3 s; no request follows the one that failed.
    await delay(4_000);
    expect(progressCalls() - before).toBe(1);
  });
});
