import { Writable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { createChunkflowClient, isPermanentError, type TRPCClientError } from '@chunkflow/client';
import { createLogger } from '@chunkflow/core-services';
import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatedEmbedder, startGatedEmbedder } from './support/gated-embedder.ts';
import { HELD_TAG, startHeldOperation } from './support/held-operation.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;
let embedder: GatedEmbedder;
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
  embedder = await startGatedEmbedder(HELD_TAG);
  server = await startTestServer('embedded', {
    logger: createLogger('info', { destination }),
    // A quiet stream re-reads the log only after an hour: live events can only come pushed.
    environment: { EMBEDDER_ALLOWED_URLS: embedder.baseUrl, PROGRESS_IDLE_CHECK_MS: String(60 * 60 * 1000) },
  });
});
afterAll(async () => {
  // First the embedder: it cuts any request it still holds, so no operation keeps closing waiting.
  await embedder?.close();
  await server?.close();
});

describe('typed client subscriptions', () => {
  it('follows an operation to completion over SSE with the API key as connection params', async () => {
    const client = createChunkflowClient({ url: server.url, apiKey: server.apiKey, EventSource });
    // Held in its second document: the rest of its progress happens while the client follows.
    const held = await startHeldOperation(client, embedder);

    const types = await new Promise<string[]>((resolve, reject) => {
      const seen: string[] = [];
      const subscription = client.operations.progress.subscribe(
        { operationId: held.operationId },
        {
          onData: ({ data }) => {
            seen.push(data.type);
            if (data.type === 'document_completed' && data.documentsDone === 1) held.release();
            if (['completed', 'failed', 'cancelled'].includes(data.type)) {
              subscription.unsubscribe();
              resolve(seen);
            }
          },
          onError: reject,
        },
      );
    });
    expect(types).toEqual(['started', 'document_completed', 'document_completed', 'completed']);
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
