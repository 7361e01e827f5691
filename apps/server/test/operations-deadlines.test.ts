import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { TRPCClientError } from '@chunkflow/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server.ts';

/** An OpenAI-compatible embedder in an outage: it holds every request and counts those given up. */
async function startHangingEmbedder() {
  const counts = { received: 0, abandoned: 0 };
  const server = createServer((request, response) => {
    counts.received += 1;
    response.once('close', () => {
      if (!response.writableEnded) counts.abandoned += 1;
    });
    request.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await delay(20);
}

// Long enough for a replaced chunking thread to start and answer a small preview on a loaded
// machine, which the first test asks of the same budget.
const BUDGET_MS = 4_000;

describe('request deadlines (REQUEST_TIMEOUT_MS) on the embedded server', () => {
  let embedder: Awaited<ReturnType<typeof startHangingEmbedder>>;
  let server: TestServer;
  const slowPreview = () => ({
    content: 'One sentence here. Another one there. And a third for the windows.',
    strategy: 'semantic' as const,
    config: { embedder: { provider: 'openai' as const, baseUrl: embedder.baseUrl, model: 'm' } },
  });
  const post = (path: string, body: unknown, init: RequestInit = {}) =>
    fetch(`${server.url}/api/v2${path}`, {
      method: 'POST',
      ...init,
      headers: {
        authorization: `Bearer ${server.apiKey}`,
        'content-type': 'application/json',
        ...(init.headers as Record<string, string>),
      },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    embedder = await startHangingEmbedder();
    server = await startTestServer('embedded', {
      environment: {
        REQUEST_TIMEOUT_MS: String(BUDGET_MS),
        EMBEDDER_ALLOWED_URLS: embedder.baseUrl,
        CHUNKING_THREADS: '1',
      },
    });
  });
  afterAll(async () => {
    await server?.close();
    await embedder?.close();
  });

  it('answers work that outruns the budget with 422 BUDGET_EXCEEDED and the correlation id, then serves again', async () => {
    const abandonedBefore = embedder.counts.abandoned;
    const response = await post('/chunking/preview', slowPreview(), {
      headers: { 'x-correlation-id': 'budget-check-1' },
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      error: { code: 'BUDGET_EXCEEDED', correlationId: 'budget-check-1', details: { budgetMs: BUDGET_MS } },
    });
    // The pool thread that held the embedder call was terminated: the call was given up.
    await until(() => embedder.counts.abandoned > abandonedBefore);

    // The only chunking thread was replaced: a costly preview runs on it again.
    const ok = await post('/chunking/preview', {
      content: '# A\n\ntext\n'.repeat(200),
      strategy: 'markdown',
    });
    expect(ok.status).toBe(200);
  });

  it('gives tRPC callers the same typed refusal', async () => {
    const refusal = await server.client.chunking.preview
      .mutate(slowPreview())
      .catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(TRPCClientError);
    expect((refusal as TRPCClientError<never>).data).toMatchObject({
      code: 'BUDGET_EXCEEDED',
      httpStatus: 422,
    });
  });

  it('abandons the work of a client that goes away before the budget is spent', async () => {
    const receivedBefore = embedder.counts.received;
    const abandonedBefore = embedder.counts.abandoned;
    const leaving = new AbortController();
    const request = post('/chunking/preview', slowPreview(), { signal: leaving.signal }).catch(() => 'gone');
    await until(() => embedder.counts.received > receivedBefore);
    leaving.abort();
    expect(await request).toBe('gone');
    await until(() => embedder.counts.abandoned > abandonedBefore);
  });
});
