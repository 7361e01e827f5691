import { createHash } from 'node:crypto';
import { createChunkflowClient } from '@chunkflow/client';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server.ts';

// Prepared answers (served-answers.ts) against the ordinary adapters, over real HTTP: a single
// tRPC call of a served procedure takes the prepared path, the same call in a batch of one takes
// tRPC's own; a REST call with a query string on a POST route takes trpc-to-openapi's. Every answer
// must be the same bytes, so typed and REST clients see exactly what they saw before.

const text = `# Title\n\n${'Serve once, serialise once. Ünïcødé “quotes” and \\ backslashes.\n\n'.repeat(200)}`;
const input = { content: text, strategy: 'recursive', config: { chunkSize: 200, chunkOverlap: 20 } } as const;
const contentHash = createHash('sha256').update(text).digest('hex');

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer('embedded', { environment: { RATE_LIMIT_PREVIEW: '0' } });
}, 60_000);
afterAll(() => server?.close());

/** Equal answers, or a failure showing where they part (answers are too long to print whole). */
function expectSame(actual: Answer, expected: Answer) {
  let at = 0;
  while (at < actual.body.length && actual.body[at] === expected.body[at]) at++;
  const around = (body: string) => body.slice(Math.max(0, at - 80), at + 80);
  expect({ ...actual, body: around(actual.body) }).toEqual({ ...expected, body: around(expected.body) });
  expect(actual.body.length).toBe(expected.body.length);
}

interface Answer {
  status: number;
  type: string | null;
  body: string;
}

/** Every call names its correlation id, so two answers to the same call can be compared whole. */
async function call(
  path: string,
  init: { method?: string; body?: string; key?: string | null | undefined } = {},
): Promise<Answer> {
  const response = await fetch(`${server.url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      'content-type': 'application/json',
      'x-correlation-id': 'contract-1',
      ...(init.key === null ? {} : { authorization: `Bearer ${init.key ?? server.apiKey}` }),
    },
    ...(init.body === undefined ? {} : { body: init.body }),
  });
  return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
}

const trpcBody = (value: unknown) => JSON.stringify(superjson.serialize(value));
const batchBody = (value: unknown) => JSON.stringify({ 0: superjson.serialize(value) });
const query = (value: unknown) => encodeURIComponent(JSON.stringify(superjson.serialize(value)));

/** The one answer of a batch of one, as tRPC's own path wrote it. */
async function viaTrpcAdapter(path: string, init: { method?: string; value: unknown; key?: string | null }) {
  const answer =
    init.method === 'POST'
      ? await call(`/trpc/${path}?batch=1`, { method: 'POST', body: batchBody(init.value), key: init.key })
      : await call(
          `/trpc/${path}?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: superjson.serialize(init.value) }))}`,
          { key: init.key },
        );
  expect(answer.body.startsWith('[')).toBe(true);
  return { ...answer, body: answer.body.slice(1, -1) };
}

describe('prepared answers are the bytes the adapters write', () => {
  it('chunking.preview: a miss and a hit over tRPC and REST, with and without maxChunks', async () => {
    const miss = await call('/trpc/chunking.preview', { method: 'POST', body: trpcBody(input) });
    expect(miss.status).toBe(200);
    expect(miss.body).toContain('"cached":false');

    const hit = await call('/trpc/chunking.preview', { method: 'POST', body: trpcBody(input) });
    const adapterHit = await viaTrpcAdapter('chunking.preview', { method: 'POST', value: input });
    expect(hit.status).toBe(200);
    expectSame(hit, adapterHit);
    expectSame(miss, { ...adapterHit, body: adapterHit.body.replace('"cached":true', '"cached":false') });
    expect(superjson.deserialize(JSON.parse(hit.body).result.data)).toMatchObject({
      cached: true,
      correlationId: 'contract-1',
      expiresAt: expect.any(Date),
    });

    const few = { ...input, maxChunks: 3 };
    const fewHit = await call('/trpc/chunking.preview', { method: 'POST', body: trpcBody(few) });
    expectSame(fewHit, await viaTrpcAdapter('chunking.preview', { method: 'POST', value: few }));
    expect(JSON.parse(fewHit.body).result.data.json.chunks).toHaveLength(3);

    const rest = await call('/api/v2/chunking/preview', { method: 'POST', body: JSON.stringify(input) });
    const restAdapter = await call('/api/v2/chunking/preview?via=adapter', {
      method: 'POST',
      body: JSON.stringify(input),
    });
    expectSame(rest, restAdapter);
    expect(JSON.parse(rest.body)).toEqual(JSON.parse(hit.body).result.data.json);
  });

  it('chunking.previewByHash answers the preview without the content, or NOT_CACHED', async () => {
    await call('/trpc/chunking.preview', { method: 'POST', body: trpcBody(input) });
    const byHash = { contentHash, strategy: input.strategy, config: input.config };
    const hit = await call('/trpc/chunking.previewByHash', { method: 'POST', body: trpcBody(byHash) });
    const contentHit = await call('/trpc/chunking.preview', { method: 'POST', body: trpcBody(input) });
    expectSame(hit, contentHit);
    expectSame(hit, await viaTrpcAdapter('chunking.previewByHash', { method: 'POST', value: byHash }));

    const other = { ...byHash, config: { chunkSize: 201, chunkOverlap: 20 } };
    const miss = await call('/trpc/chunking.previewByHash', { method: 'POST', body: trpcBody(other) });
    expect(miss.status).toBe(404);
    expectSame(miss, await viaTrpcAdapter('chunking.previewByHash', { method: 'POST', value: other }));
    expect(JSON.parse(miss.body).error.json.data).toMatchObject({
      code: 'NOT_CACHED',
      correlationId: 'contract-1',
      httpStatus: 404,
    });

    const rest = await call('/api/v2/chunking/preview/by-hash', {
      method: 'POST',
      body: JSON.stringify(byHash),
    });
    expect(JSON.parse(rest.body)).toEqual(JSON.parse(hit.body).result.data.json);
    const restMiss = await call('/api/v2/chunking/preview/by-hash', {
      method: 'POST',
      body: JSON.stringify(other),
    });
    expect(restMiss.status).toBe(404);
    expect(JSON.parse(restMiss.body).error).toMatchObject({
      code: 'NOT_CACHED',
      correlationId: 'contract-1',
    });
  });

  it('chunking.getPreview and chunking.strategies', async () => {
    const preview = JSON.parse(
      (await call('/trpc/chunking.preview', { method: 'POST', body: trpcBody(input) })).body,
    ).result.data.json;
    const byId = { previewId: preview.previewId };
    const single = await call(`/trpc/chunking.getPreview?input=${query(byId)}`);
    expect(single.status).toBe(200);
    expectSame(single, await viaTrpcAdapter('chunking.getPreview', { value: byId }));

    const strategies = await call(`/trpc/chunking.strategies?input=${query({})}`, { key: null });
    expect(strategies.status).toBe(200);
    expectSame(strategies, await viaTrpcAdapter('chunking.strategies', { value: {}, key: null }));
    const restStrategies = await call('/api/v2/chunking/strategies', { key: null });
    expect(JSON.parse(restStrategies.body)).toEqual(JSON.parse(strategies.body).result.data.json);
  });

  it('refusals are the same envelope, status and headers', async () => {
    const unauthorized = await call('/trpc/chunking.preview', {
      method: 'POST',
      body: trpcBody(input),
      key: 'not-a-key',
    });
    expect(unauthorized.status).toBe(401);
    expectSame(
      unauthorized,
      await viaTrpcAdapter('chunking.preview', { method: 'POST', value: input, key: 'not-a-key' }),
    );
    const invalid = { ...input, config: { chunkSize: 10, chunkOverlap: 20 } };
    const refused = await call('/trpc/chunking.preview', { method: 'POST', body: trpcBody(invalid) });
    expect(refused.status).toBe(400);
    expectSame(refused, await viaTrpcAdapter('chunking.preview', { method: 'POST', value: invalid }));
    const restRefused = await call('/api/v2/chunking/preview', {
      method: 'POST',
      body: JSON.stringify(invalid),
    });
    const restAdapterRefused = await call('/api/v2/chunking/preview?via=adapter', {
      method: 'POST',
      body: JSON.stringify(invalid),
    });
    expectSame(restRefused, restAdapterRefused);
    expect(JSON.parse(restRefused.body).error).toMatchObject({ code: 'INVALID_CONFIG' });
  });
});

describe('the typed client previews content it sent before by its hash', () => {
  it('sends the hash instead of the content, and the content again when the server answers NOT_CACHED', async () => {
    const paths: string[] = [];
    const client = createChunkflowClient({
      url: server.url,
      apiKey: server.apiKey,
      fetch: (url, init) => {
        paths.push(new URL(String(url)).pathname);
        return fetch(url, init as RequestInit);
      },
    });
    const content = `${text}\n\nA text of its own.`;
    const first = await client.chunking.preview.mutate({ ...input, content });
    const again = await client.chunking.preview.mutate({ ...input, content });
    expect(paths).toEqual(['/trpc/chunking.preview', '/trpc/chunking.previewByHash']);
    expect({ ...again, correlationId: first.correlationId }).toEqual({ ...first, cached: true });

    // Gone from the server: the hash answers NOT_CACHED and the content is sent after all.
    await client.chunking.deletePreview.mutate({ previewId: first.previewId });
    const recomputed = await client.chunking.preview.mutate({ ...input, content, maxChunks: 2 });
    expect(paths.slice(2)).toEqual([
      '/trpc/chunking.deletePreview',
      '/trpc/chunking.previewByHash',
      '/trpc/chunking.preview',
    ]);
    expect(recomputed).toMatchObject({
      previewId: first.previewId,
      cached: false,
      chunks: first.chunks.slice(0, 2),
    });
  });
});
