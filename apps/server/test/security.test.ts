import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendModes } from './support/backends.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const BODY_LIMIT_BYTES = 256 * 1024;
const MAX_BATCH_SIZE = 3;

/**
 * Sends only the head of a request that announces a body far over the limit and reads the answer:
 * the server must reply without waiting for a body that never comes.
 */
function announceHugeBody(url: string, path: string, apiKey: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let response = '';
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      response += text;
      if (response.includes('\r\n\r\n') && response.endsWith('}')) socket.end();
    });
    socket.on('end', () => resolve(response));
    socket.on('close', () => resolve(response));
    socket.on('error', reject);
    socket.write(
      [
        `POST ${path} HTTP/1.1`,
        `Host: ${hostname}:${port}`,
        `Authorization: Bearer ${apiKey}`,
        'Content-Type: application/json',
        `Content-Length: ${1024 * 1024 * 1024}`,
        '',
        '{"content":"',
      ].join('\r\n'),
    );
  });
}

/** Streams a chunked body of `totalBytes` until the server answers; returns status and bytes sent. */
function streamUntilAnswered(url: string, apiKey: string, totalBytes: number) {
  return new Promise<{ status: number; body: string; sentBytes: number }>((resolve, reject) => {
    let sentBytes = 0;
    let answered = false;
    const piece = Buffer.alloc(16 * 1024, 'a');
    const outgoing = request(
      `${url}/api/v2/chunking/preview`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      },
      (response) => {
        answered = true;
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (text: string) => {
          body += text;
        });
        response.on('end', () => {
          outgoing.destroy();
          resolve({ status: response.statusCode ?? 0, body, sentBytes });
        });
      },
    );
    outgoing.on('error', (error) => {
      if (!answered) reject(error);
    });
    const writeMore = () => {
      while (!answered && sentBytes < totalBytes) {
        sentBytes += piece.length;
        if (!outgoing.write(piece)) {
          outgoing.once('drain', writeMore);
          return;
        }
      }
      if (!answered) outgoing.end();
    };
    outgoing.write('{"strategy":"fixed","content":"');
    writeMore();
  });
}

describe.each(backendModes)('request limits over HTTP on the %s backends', (mode) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(mode, {
      environment: { BODY_LIMIT_BYTES: String(BODY_LIMIT_BYTES), MAX_BATCH_SIZE: String(MAX_BATCH_SIZE) },
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it.each(['/api/v2/chunking/preview', '/trpc/chunking.preview'])(
    'answers 413 DOCUMENT_TOO_LARGE to %s from the announced length, before reading the body',
    async (path) => {
      const response = await announceHugeBody(server.url, path, server.apiKey);
      expect(response).toMatch(/^HTTP\/1\.1 413 /);
      expect(response).toContain('"code":"DOCUMENT_TOO_LARGE"');
      expect(response).toMatch(/x-correlation-id: \S+/i);
    },
  );

  it('stops a streamed body at the limit with 413 DOCUMENT_TOO_LARGE', async () => {
    const totalBytes = 64 * 1024 * 1024;
    const { status, body, sentBytes } = await streamUntilAnswered(server.url, server.apiKey, totalBytes);
    expect(status).toBe(413);
    expect((JSON.parse(body) as { error: { code: string } }).error.code).toBe('DOCUMENT_TOO_LARGE');
    expect(sentBytes).toBeLessThan(totalBytes);
  });

  it(`accepts a tRPC batch of ${MAX_BATCH_SIZE} calls and refuses a larger one`, async () => {
    const batch = (size: number) => {
      const paths = Array<string>(size).fill('chunking.strategies').join(',');
      const input = Object.fromEntries(Array.from({ length: size }, (_, index) => [index, { json: {} }]));
      return fetch(`${server.url}/trpc/${paths}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`);
    };
    expect((await batch(MAX_BATCH_SIZE)).status).toBe(200);
    const refused = await batch(MAX_BATCH_SIZE + 1);
    expect(refused.status).toBe(400);
    // Refused before any call runs: one error for the whole batch.
    const body = (await refused.json()) as { error: { json: { message: string; data: { code: string } } } };
    expect(body.error.json.data.code).toBe('VALIDATION_ERROR');
    expect(body.error.json.message).toMatch(/batch/i);
  });

  it('refuses more than 10,000 chunks per preview', async () => {
    const preview = (maxChunks: number) =>
      fetch(`${server.url}/api/v2/chunking/preview`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${server.apiKey}` },
        body: JSON.stringify({ content: 'a b c d e f', strategy: 'fixed', maxChunks }),
      });
    expect((await preview(10_000)).status).toBe(200);
    const refused = await preview(10_001);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_ERROR');
  });
});
