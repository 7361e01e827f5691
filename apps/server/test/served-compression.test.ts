import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptsGzip } from '../src/http/accept-encoding.ts';
import { startTestServer, type TestServer } from './support/server.ts';

// A served answer (served-answers.ts) gzipped from bytes compressed once, when the client accepts
// gzip: its bytes decompress to exactly the identity answer of the same call, refusals and small
// answers are never compressed, and a client that does not ask gets the identity bytes.

const text = `# Title\n\n${'Compress once, serve often. Ünïcødé “quotes” and \\ backslashes.\n\n'.repeat(200)}`;
const input = { content: text, strategy: 'recursive', config: { chunkSize: 200, chunkOverlap: 20 } } as const;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer('embedded', { environment: { RATE_LIMIT_PREVIEW: '0' } });
}, 60_000);
afterAll(() => server?.close());

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** The answer's bytes as sent (fetch would decompress them). */
function post(path: string, body: string, acceptEncoding?: string): Promise<RawAnswer> {
  const url = new URL(path, server.url);
  return new Promise((resolve, reject) => {
    const sent = request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${server.apiKey}`,
          'x-correlation-id': 'gzip-1',
          ...(acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding }),
        },
      },
      (response) => {
        const pieces: Buffer[] = [];
        response.on('data', (piece: Buffer) => pieces.push(piece));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(pieces),
          }),
        );
        response.on('error', reject);
      },
    );
    sent.on('error', reject);
    sent.end(body);
  });
}

const trpcBody = (value: unknown) => JSON.stringify(superjson.serialize(value));

describe('served answers gzipped when the client accepts it', () => {
  it('decompress to the identity bytes of the same call, over tRPC and REST, for misses and hits', async () => {
    const miss = await post('/trpc/chunking.preview', trpcBody(input), 'gzip, deflate, br');
    expect(miss.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(miss.body).toString()).toContain('"cached":false');

    for (const [path, body] of [
      ['/trpc/chunking.preview', trpcBody(input)],
      ['/api/v2/chunking/preview', JSON.stringify(input)],
    ] as const) {
      const plain = await post(path, body);
      const gzipped = await post(path, body, 'gzip');
      expect(plain.status).toBe(200);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(gzipped.headers).toMatchObject({
        'content-encoding': 'gzip',
        vary: 'accept-encoding',
        'content-type': plain.headers['content-type'],
        'content-length': String(gzipped.body.length),
      });
      expect(gzipped.body.length).toBeLessThan(plain.body.length / 2);
      expect(gunzipSync(gzipped.body).equals(plain.body)).toBe(true);
    }
  });

  it('leaves refusals, and clients that decline gzip, uncompressed', async () => {
    const refused = await post(
      '/trpc/chunking.preview',
      trpcBody({ ...input, strategy: 'nonsense' }),
      'gzip',
    );
    expect(refused.status).toBe(400);
    expect(refused.headers['content-encoding']).toBeUndefined();
    const declined = await post('/trpc/chunking.preview', trpcBody(input), 'gzip;q=0, *');
    expect(declined.status).toBe(200);
    expect(declined.headers['content-encoding']).toBeUndefined();
  });
});

describe('acceptsGzip', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['gzip', true],
    ['deflate, GZIP;q=0.5', true],
    ['x-gzip', true],
    ['gzip;q=0', false],
    ['*', true],
    ['gzip;q=0, *', false],
    ['br, *;q=0', false],
    ['identity', false],
  ])('%s → %s', (header, accepted) => {
    expect(acceptsGzip(header)).toBe(accepted);
  });
});
