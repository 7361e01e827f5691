import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { createChunkflowClient } from '../src/index.ts';

let received: { url: string; headers: IncomingHttpHeaders }[] = [];
const server = createServer((request, response) => {
  received.push({ url: request.url ?? '', headers: request.headers });
  response.setHeader('content-type', 'application/json');
  // A batched tRPC answer for one call, superjson-encoded (a Date survives as a Date).
  response.end(
    JSON.stringify([
      {
        result: {
          data: {
            json: { strategies: [], at: '2026-01-01T00:00:00.000Z' },
            meta: { values: { at: ['Date'] } },
          },
        },
      },
    ]),
  );
});
let url = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('createChunkflowClient', () => {
  it('sends the API key and correlation id and decodes superjson', async () => {
    received = [];
    const client = createChunkflowClient({ url: `${url}/`, apiKey: 'k-1', correlationId: 'corr-7' });
    const result = (await client.chunking.strategies.query({})) as unknown as { at: Date };
    expect(result.at).toBeInstanceOf(Date);
    expect(received).toHaveLength(1);
    expect(received[0]?.url).toMatch(/^\/trpc\/chunking\.strategies\?batch=1/);
    expect(received[0]?.headers).toMatchObject({ authorization: 'Bearer k-1', 'x-correlation-id': 'corr-7' });
  });

  it('sends no credentials when none are given', async () => {
    received = [];
    await createChunkflowClient({ url }).chunking.strategies.query({});
    expect(received[0]?.headers.authorization).toBeUndefined();
  });

  it('type check: is typed by the server router', () => {
    const client = createChunkflowClient({ url });
    expectTypeOf(client.chunking.preview.mutate).parameter(0).toHaveProperty('strategy');
    expectTypeOf(client.collections.get.query)
      .returns.resolves.toHaveProperty('createdAt')
      .toEqualTypeOf<Date>();
  });
});
