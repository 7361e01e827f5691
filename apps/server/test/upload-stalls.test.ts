import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawHttpExchange, statusOf, trickle } from './support/raw-http.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const MAX_UPLOADS_PER_KEY = 4;
const STALLED_UPLOADS = 10;

interface RawAnswer {
  status: number;
  code: string | undefined;
  closed: boolean;
}

/**
 * Starts an upload that announces 50 MB, sends one byte of it and then nothing: the stalled
 * sender of the review (F4). Resolves with the server's answer once it has closed the connection.
 */
async function stalledUpload(url: string, path: string, apiKey: string): Promise<RawAnswer> {
  const answer = await rawHttpExchange(url, (host) =>
    [
      `PUT ${path} HTTP/1.1`,
      `Host: ${host}`,
      `Authorization: Bearer ${apiKey}`,
      'Content-Type: text/plain',
      'Content-Length: 50000000',
      '',
      'a',
    ].join('\r\n'),
  );
  return { status: statusOf(answer), code: answer.match(/"code":"([A-Z_]+)"/)?.[1], closed: true };
}

async function uploadPool(url: string): Promise<{ activeBuffers: number; usedBytes: number }> {
  const metrics = await (await fetch(`${url}/metrics`)).text();
  const gauge = (name: string) =>
    Number(metrics.match(new RegExp(`${name}\\{pool="uploads"\\} (\\d+)`))?.[1]);
  return {
    activeBuffers: gauge('chunkflow_mempool_active_buffers'),
    usedBytes: gauge('chunkflow_mempool_used_bytes'),
  };
}

describe('stalled uploads (F4) on the embedded default', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer('embedded', {
      environment: {
        MAX_UPLOADS_PER_KEY: String(MAX_UPLOADS_PER_KEY),
        UPLOAD_IDLE_TIMEOUT_MS: '1500',
        // Enough memory for a handful of uploads: stalled ones must not be able to hold it all.
        UPLOAD_MEMORY_MB: '1',
        UPLOAD_WAIT_MS: '500',
      },
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('refuses a key past its upload slots, serves other keys meanwhile, and cuts the stalled ones off', async () => {
    const attacker = server.client;
    const { id: attackerCollection } = await attacker.collections.create.mutate({ name: 'stalls' });
    const victimKey = await server.app.services.auth.createApiKey('victim', 'upload-stall test');
    const victim = server.clientFor(victimKey);
    const { id: victimCollection } = await victim.collections.create.mutate({ name: 'real uploads' });
    const stalledPath = (index: number) =>
      `/api/v2/collections/${attackerCollection}/documents/upload?name=stalled-${index}.txt`;

    const refusedFirst: RawAnswer[] = [];
    const stalled = Array.from({ length: STALLED_UPLOADS }, (_, index) =>
      stalledUpload(server.url, stalledPath(index), server.apiKey).then((answer) => {
        if (answer.status === 429) refusedFirst.push(answer);
        return answer;
      }),
    );
    // The uploads past the key's slots are refused at once, on a closed connection...
    await expect
      .poll(() => refusedFirst.length, { timeout: 10_000 })
      .toBe(STALLED_UPLOADS - MAX_UPLOADS_PER_KEY);
    expect(refusedFirst.every((answer) => answer.code === 'RATE_LIMITED')).toBe(true);
    // A stalled upload holds one small first segment, not a whole 1 MiB one.
    await expect.poll(async () => (await uploadPool(server.url)).activeBuffers).toBe(MAX_UPLOADS_PER_KEY);
    expect((await uploadPool(server.url)).usedBytes).toBeLessThanOrEqual(MAX_UPLOADS_PER_KEY * 16 * 1024);

    // ...while the stalled ones hold their slots, another key's real upload goes through.
    const upload = await fetch(
      `${server.url}/api/v2/collections/${victimCollection}/documents/upload?name=real.txt`,
      {
        method: 'PUT',
        headers: { authorization: `Bearer ${victimKey}`, 'content-type': 'text/plain' },
        body: 'A real document. '.repeat(2_000),
      },
    );
    expect(upload.status).toBe(201);

    // The idle timeout answers the stalled uploads with TIMEOUT, closes them, and frees the pool.
    const answers = await Promise.all(stalled);
    const timedOut = answers.filter((answer) => answer.status !== 429);
    expect(timedOut).toHaveLength(MAX_UPLOADS_PER_KEY);
    expect(timedOut.every((answer) => answer.code === 'TIMEOUT' && answer.closed)).toBe(true);
    expect(await uploadPool(server.url)).toEqual({ activeBuffers: 0, usedBytes: 0 });

    // The key's slots are free again.
    const again = await fetch(`${server.url}${stalledPath(99)}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'text/plain' },
      body: 'after the stall',
    });
    expect(again.status).toBe(201);
  });

  it('cuts off a sender that trickles below the minimum rate', async () => {
    const { id: collectionId } = await server.client.collections.create.mutate({ name: 'trickle' });
    const answer = await rawHttpExchange(
      server.url,
      (host) =>
        [
          `PUT /api/v2/collections/${collectionId}/documents/upload?name=trickle.txt HTTP/1.1`,
          `Host: ${host}`,
          `Authorization: Bearer ${server.apiKey}`,
          'Content-Type: text/plain',
          'Content-Length: 1000000',
          '',
          '',
        ].join('\r\n'),
      // One byte every 500 ms: never idle for 1.5 s, but far below 16 KiB/s.
      { keepSending: trickle('a', 500) },
    );
    expect(answer).toMatch(/^HTTP\/1\.1 504 /);
    expect(answer).toContain('"code":"TIMEOUT"');
    expect(answer).toMatch(/x-correlation-id: \S+/i);
  });
});
