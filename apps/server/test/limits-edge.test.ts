import { settingsFrom } from '@chunkflow/core-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendModes } from './support/backends.ts';
import { rawHttpExchange, statusLineOf } from './support/raw-http.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const WRITES_PER_WINDOW = 3;
const AUTH_FAILURES_PER_WINDOW = 5;

interface Envelope {
  error: { code: string; correlationId: string; details?: Record<string, unknown> };
}

/** Sends the head of a 1 GB body and returns the status line the server answers with. */
async function announceHugeBody(url: string, method: string, path: string, apiKey: string): Promise<string> {
  const answer = await rawHttpExchange(url, (host) =>
    [
      `${method} ${path} HTTP/1.1`,
      `Host: ${host}`,
      `Authorization: Bearer ${apiKey}`,
      'Content-Type: text/plain',
      `Content-Length: ${1024 ** 3}`,
      '',
      'first bytes',
    ].join('\r\n'),
  );
  return statusLineOf(answer);
}

describe.each(backendModes)('limits where attackers push (F13), %s backends', (mode) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(mode, {
      environment: {
        RATE_LIMIT_WRITES: String(WRITES_PER_WINDOW),
        RATE_LIMIT_AUTH_FAILURES: String(AUTH_FAILURES_PER_WINDOW),
      },
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('counts uploads and document creates/deletes against the key’s writes budget', async () => {
    const apiKey = await server.app.services.auth.createApiKey('writer', 'test');
    const client = server.clientFor(apiKey);
    const { id: collectionId } = await client.collections.create.mutate({ name: 'writes' });
    const upload = (name: string) =>
      fetch(`${server.url}/api/v2/collections/${collectionId}/documents/upload?name=${name}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'text/plain' },
        body: `Document ${name}.`,
      });

    expect((await upload('a')).status).toBe(201);
    const created = await client.documents.create.mutate({ collectionId, name: 'b', content: 'Document b.' });
    await client.documents.delete.mutate({ id: created.id });

    const refused = await upload('c');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await refused.json()) as Envelope;
    expect(body.error).toMatchObject({ code: 'RATE_LIMITED', details: { rateLimitClass: 'writes' } });
    await expect(
      client.documents.create.mutate({ collectionId, name: 'd', content: 'd' }),
    ).rejects.toMatchObject({
      data: { code: 'RATE_LIMITED' },
    });
    // Reads have their own budget.
    expect((await client.collections.get.query({ id: collectionId })).id).toBe(collectionId);
  });

  it('refuses an address that keeps failing authentication with 429, before reading its body', async () => {
    const listWith = (apiKey: string) =>
      fetch(`${server.url}/trpc/collections.list?input=${encodeURIComponent('{"json":{}}')}`, {
        headers: { authorization: `Bearer ${apiKey}` },
      });
    const wrongKey = (attempt: number) => `cf_wrong_${attempt}_${'x'.repeat(32)}`;
    // A large body with a wrong key is refused before it is read.
    const early = await announceHugeBody(server.url, 'POST', '/api/v2/chunking/preview', wrongKey(0));
    expect(early).toMatch(/^HTTP\/1\.1 401 /);
    // Failures are counted as each 401 leaves: the next attempt may still slip through before its
    // count lands, but never more than one or two.
    let failures = 1;
    let blocked = await listWith(wrongKey(failures));
    while (blocked.status === 401 && failures < AUTH_FAILURES_PER_WINDOW + 3) {
      failures += 1;
      blocked = await listWith(wrongKey(failures));
    }
    expect(blocked.status).toBe(429);
    expect(failures).toBeGreaterThan(AUTH_FAILURES_PER_WINDOW);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // On /trpc the refusal has tRPC's shape, so the typed client reads its code; while the address
    // is blocked even a valid key from it is refused.
    const validKey = await server.app.services.auth.createApiKey('blocked address', 'test');
    await expect(server.clientFor(validKey).collections.list.query({})).rejects.toMatchObject({
      data: { code: 'RATE_LIMITED', httpStatus: 429 },
    });

    // A 1 GB upload from that address is answered at once, without waiting for its body.
    const statusLine = await announceHugeBody(
      server.url,
      'PUT',
      '/api/v2/collections/00000000-0000-4000-8000-000000000000/documents/upload?name=big.txt',
      wrongKey(100),
    );
    expect(statusLine).toMatch(/^HTTP\/1\.1 429 /);
  });
});

describe('failed authentications behind a trusted proxy', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer('embedded', {
      environment: { TRUST_PROXY: '127.0.0.1', RATE_LIMIT_AUTH_FAILURES: '2' },
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('counts them per client the proxy names, so one guesser does not get every client refused', async () => {
    const listAs = (client: string) =>
      fetch(`${server.url}/api/v2/collections`, {
        headers: { authorization: `Bearer cf_wrong_${'x'.repeat(32)}`, 'x-forwarded-for': client },
      });
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt += 1) statuses.push((await listAs('203.0.113.1')).status);
    expect(statuses).toContain(429);
    expect((await listAs('203.0.113.2')).status).toBe(401);
  });

  it('counts an event stream refused for its key, though it is answered 200 with an error event', async () => {
    const input = encodeURIComponent(
      JSON.stringify({ json: { operationId: '00000000-0000-4000-8000-000000000000' } }),
    );
    const subscribeAs = async (client: string) => {
      const response = await fetch(`${server.url}/trpc/operations.progress?input=${input}`, {
        headers: {
          accept: 'text/event-stream',
          authorization: `Bearer cf_wrong_${'x'.repeat(32)}`,
          'x-forwarded-for': client,
        },
      });
      return { status: response.status, events: await response.text() };
    };
    const first = await subscribeAs('203.0.113.3');
    expect(first.status).toBe(200);
    expect(first.events).toContain('"code":"UNAUTHORIZED"');
    const statuses = [first.status];
    for (let attempt = 0; attempt < 5; attempt += 1) statuses.push((await subscribeAs('203.0.113.3')).status);
    expect(statuses).toContain(429);
  });
});

describe('bootstrap key strength', () => {
  it('refuses a BOOTSTRAP_API_KEY shorter than 32 characters at start, saying why', () => {
    expect(() => settingsFrom({ BOOTSTRAP_API_KEY: 'example-key-0123456789abcdef' })).toThrow(
      /BOOTSTRAP_API_KEY must be at least 32 characters/,
    );
    expect(settingsFrom({ BOOTSTRAP_API_KEY: 'k'.repeat(32) }).access.bootstrapApiKey).toHaveLength(32);
  });
});
