import { appRouter } from '@chunkflow/api';
import { DEFAULT_SETTINGS } from '@chunkflow/core-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawHttpExchange, statusOf, trickle } from './support/raw-http.ts';
import { startTestServer, type TestServer } from './support/server.ts';

interface Envelope {
  error: { code: string; message: string; correlationId: string };
}

const cursor = (key: unknown[]) => Buffer.from(JSON.stringify(key)).toString('base64url');
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** Status and envelope of a raw HTTP answer; the correlation id must be in the header too. */
function parseRaw(answer: string): { status: number; envelope: Envelope } {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  const envelope = JSON.parse(body) as Envelope;
  expect(head.toLowerCase()).toContain(`x-correlation-id: ${envelope.error.correlationId}`);
  return { status: statusOf(head), envelope };
}

async function expectEnvelope(response: Response, status: number, code: string): Promise<Envelope> {
  expect(response.status).toBe(status);
  const body = (await response.json()) as Envelope;
  expect(body.error).toMatchObject({ code, correlationId: expect.any(String) });
  expect(response.headers.get('x-correlation-id')).toBe(body.error.correlationId);
  return body;
}

interface TrpcErrorAnswer {
  error: {
    json: {
      code: number;
      message: string;
      data: { code: string; correlationId: string; httpStatus: number };
    };
  };
}

/** A refusal on /trpc: tRPC's shape (one error per call of a batch), so the typed client reads it. */
async function expectTrpcError(
  response: Response,
  status: number,
  code: string,
  calls?: number,
): Promise<TrpcErrorAnswer['error']['json']> {
  expect(response.status).toBe(status);
  const body = (await response.json()) as TrpcErrorAnswer | TrpcErrorAnswer[];
  const answers = Array.isArray(body) ? body : [body];
  if (calls !== undefined) expect(answers).toHaveLength(calls);
  const [first] = answers;
  expect(first?.error.json.data).toMatchObject({
    code,
    httpStatus: status,
    correlationId: expect.any(String),
  });
  expect(response.headers.get('x-correlation-id')).toBe(first?.error.json.data.correlationId);
  return first?.error.json as TrpcErrorAnswer['error']['json'];
}

describe('typed refusals at the HTTP edge (F15)', () => {
  let server: TestServer;
  let authorization: Record<string, string>;
  let collectionId: string;

  beforeAll(async () => {
    server = await startTestServer('embedded');
    authorization = { authorization: `Bearer ${server.apiKey}` };
    ({ id: collectionId } = await server.client.collections.create.mutate({ name: 'refusals' }));
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers malformed pagination cursors with 400 VALIDATION_ERROR', async () => {
    const documentId = '00000000-0000-4000-8000-000000000000';
    const requests = [
      `/api/v2/collections?cursor=${cursor(['2020-01-01T00:00:00.000Z', 'x'])}`,
      `/api/v2/collections?cursor=${cursor(['-100000-01-01T00:00:00.000Z', documentId])}`,
      `/api/v2/collections?cursor=${cursor(['2020-01-01', documentId])}`,
      `/api/v2/chunks?collectionId=${collectionId}&cursor=${cursor(['not-a-uuid', 0])}`,
      `/api/v2/chunks?collectionId=${collectionId}&cursor=${cursor([documentId, 2 ** 40])}`,
      `/api/v2/chunks?collectionId=${collectionId}&cursor=not-base64-json`,
    ];
    for (const path of requests) {
      await expectEnvelope(
        await fetch(`${server.url}${path}`, { headers: authorization }),
        400,
        'VALIDATION_ERROR',
      );
    }
  });

  it('answers upload metadata that is not JSON, or nested too deep, with 400', async () => {
    for (const metadata of ['{bad', `{"a":${nested(1000)}}`]) {
      const path = `/api/v2/collections/${collectionId}/documents/upload?name=m.txt&metadata=${encodeURIComponent(metadata)}`;
      const response = await fetch(`${server.url}${path}`, {
        method: 'PUT',
        headers: { ...authorization, 'content-type': 'text/plain' },
        body: 'text',
      });
      await expectEnvelope(response, 400, 'VALIDATION_ERROR');
    }
  });

  it('answers tRPC input nested 100,000 deep with 400 and a generic message, as body or query', async () => {
    const refusal = await expectTrpcError(
      await fetch(`${server.url}/trpc/chunking.preview`, {
        method: 'POST',
        headers: { ...authorization, 'content-type': 'application/json' },
        body: `{"json":${nested(100_000)}}`,
      }),
      400,
      'VALIDATION_ERROR',
    );
    expect(refusal.message).not.toMatch(/stack/i);
    const input = encodeURIComponent(`{"json":${nested(2_000)}}`);
    await expectTrpcError(
      await fetch(`${server.url}/trpc/collections.list?input=${input}`, { headers: authorization }),
      400,
      'VALIDATION_ERROR',
    );
  });

  it("answers Fastify's and Node's own refusals in the envelope, keeping their status", async () => {
    const tooLongPath = await fetch(`${server.url}/trpc/${'chunking.strategies,'.repeat(200)}x?batch=1`);
    await expectTrpcError(tooLongPath, 414, 'VALIDATION_ERROR', 201);

    const wrongType = await fetch(`${server.url}/api/v2/collections`, {
      method: 'POST',
      headers: { ...authorization, 'content-type': 'application/xml' },
      body: '<collection/>',
    });
    await expectEnvelope(wrongType, 415, 'VALIDATION_ERROR');

    const badJson = await fetch(`${server.url}/api/v2/collections`, {
      method: 'POST',
      headers: { ...authorization, 'content-type': 'application/json' },
      body: '{"name":',
    });
    await expectEnvelope(badJson, 400, 'VALIDATION_ERROR');

    const hugeHeaders = await rawHttpExchange(
      server.url,
      (host) => `GET /healthz HTTP/1.1\r\nHost: ${host}\r\nX-Filler: ${'a'.repeat(20_000)}\r\n\r\n`,
      { endAfterJsonAnswer: true },
    );
    expect(parseRaw(hugeHeaders)).toMatchObject({
      status: 431,
      envelope: { error: { code: 'VALIDATION_ERROR' } },
    });

    const notHttp = await rawHttpExchange(server.url, () => 'HELLO THERE\r\n\r\n', {
      endAfterJsonAnswer: true,
    });
    expect(parseRaw(notHttp)).toMatchObject({
      status: 400,
      envelope: { error: { code: 'VALIDATION_ERROR' } },
    });
  });

  it('answers large bodies with a wrong key with a 401 the sender can read, the body dropped unparsed', async () => {
    const body = JSON.stringify({ content: 'x'.repeat(11_000_000), strategy: 'fixed' });
    const answers = await Promise.all(
      Array.from({ length: 4 }, () =>
        fetch(`${server.url}/api/v2/chunking/preview`, {
          method: 'POST',
          headers: { authorization: `Bearer cf_wrong_${'x'.repeat(32)}`, 'content-type': 'application/json' },
          body,
        }),
      ),
    );
    for (const answer of answers) await expectEnvelope(answer, 401, 'UNAUTHORIZED');
  });

  it('fits the largest batch it allows in its path limit, and the typed client splits larger ones', async () => {
    const { maxBatchSize: MAX_BATCH_SIZE } = DEFAULT_SETTINGS.http;
    const longestName = Object.keys(appRouter._def.procedures).reduce((longest, name) =>
      name.length > longest.length ? name : longest,
    );
    const path = Array<string>(MAX_BATCH_SIZE).fill(longestName).join(',');
    const batch = await fetch(`${server.url}/trpc/${path}?batch=1&input={}`, { headers: authorization });
    // Whatever the calls answer, the router accepted the path: tRPC's batch shape, not a 414.
    expect(batch.status).not.toBe(414);
    expect(Array.isArray(await batch.json())).toBe(true);

    const calls = Array.from({ length: MAX_BATCH_SIZE * 2 + 1 }, () =>
      server.client.collections.get.query({ id: collectionId }),
    );
    expect((await Promise.all(calls)).every((collection) => collection.id === collectionId)).toBe(true);
  });
});

describe('slow clients (F4)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer('embedded', {
      environment: { HTTP_HEADERS_TIMEOUT_MS: '1000', HTTP_REQUEST_TIMEOUT_MS: '2000' },
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  /** Sends `head` at once, then one more byte every 200 ms, until the server closes the connection. */
  const dribble = (head: (host: string) => string) =>
    rawHttpExchange(server.url, head, { keepSending: trickle('x', 200) });

  it('answers a client that never finishes its headers with 408 in the envelope, and closes', async () => {
    const answer = await dribble((host) => `GET /healthz HTTP/1.1\r\nHost: ${host}\r\nX-Slow: `);
    expect(parseRaw(answer)).toMatchObject({ status: 408, envelope: { error: { code: 'TIMEOUT' } } });
  });

  it('answers a client that never finishes its body with 408 in the envelope, and closes', async () => {
    const answer = await dribble((host) =>
      [
        'POST /api/v2/chunking/preview HTTP/1.1',
        `Host: ${host}`,
        `Authorization: Bearer ${server.apiKey}`,
        'Content-Type: application/json',
        'Content-Length: 100000',
        '',
        '{"content":"',
      ].join('\r\n'),
    );
    expect(parseRaw(answer)).toMatchObject({ status: 408, envelope: { error: { code: 'TIMEOUT' } } });
  });
});

describe('security headers and public endpoints (F17)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer('embedded');
  });
  afterAll(async () => {
    await server?.close();
  });

  it.each(['/', '/api/v2/docs/', '/api/v2/openapi.json', '/healthz'])(
    'sends a CSP that forbids framing, nosniff and X-Frame-Options on %s',
    async (path) => {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
    },
  );
});
