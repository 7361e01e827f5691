import { createChunkflowClient } from '@chunkflow/client';
import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer('embedded');
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
    const { operationId } = await client.chunking.apply.mutate({
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
});
