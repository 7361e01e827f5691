import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type GatedEmbedder, startGatedEmbedder } from './support/gated-embedder.ts';
import { HELD_TAG, type HeldOperation, startHeldOperation } from './support/held-operation.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const MAX_STREAMS_PER_KEY = 2;

interface OpenStream {
  /** Named events seen (tRPC sends `connected`, `serialized-error`, `return`…); data events as 'data'. */
  events: string[];
  errorData: string | undefined;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  abort(): void;
}

/**
 * Opens the production progress stream of an operation and resolves once the first data event or
 * an error event arrived.
 */
async function openStream(url: string, apiKey: string, operationId: string): Promise<OpenStream> {
  const controller = new AbortController();
  const input = encodeURIComponent(JSON.stringify({ json: { operationId } }));
  const response = await fetch(`${url}/trpc/operations.progress?input=${input}`, {
    headers: { accept: 'text/event-stream', authorization: `Bearer ${apiKey}` },
    signal: controller.signal,
  });
  if (!response.body) throw new Error('no stream');
  const stream: OpenStream = { events: [], errorData: undefined, ended: Promise.resolve(), abort: () => {} };
  let settleFirst: () => void = () => {};
  const first = new Promise<void>((resolve) => {
    settleFirst = resolve;
  });
  const parser = createParser({
    onEvent: (message: EventSourceMessage) => {
      stream.events.push(message.event ?? 'data');
      if (message.event === 'serialized-error') stream.errorData = message.data;
      if (message.event === undefined || message.event === 'serialized-error') settleFirst();
    },
  });
  const body = response.body;
  stream.ended = (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const bytes of body) parser.feed(decoder.decode(bytes, { stream: true }));
    } catch {
      // A cut connection ends the stream as well.
    }
    settleFirst();
  })();
  stream.abort = () => controller.abort();
  await first;
  return stream;
}

describe('bounded SSE subscriptions per API key, on operations.progress', () => {
  let server: TestServer;
  let embedder: GatedEmbedder;
  let held: HeldOperation;
  let closing: Promise<void> | undefined;

  beforeAll(async () => {
    embedder = await startGatedEmbedder(HELD_TAG);
    server = await startTestServer('embedded', {
      environment: {
        MAX_SSE_CONNECTIONS_PER_KEY: String(MAX_STREAMS_PER_KEY),
        EMBEDDER_ALLOWED_URLS: embedder.baseUrl,
      },
    });
    // An operation held in its second document: its progress streams stay open until it ends.
    held = await startHeldOperation(server.client, embedder);
  });
  afterAll(async () => {
    held?.release();
    await (closing ?? server?.close());
    await embedder?.close();
  });

  it('refuses a stream over the bound, frees the slot when a client leaves, and cuts streams on close', async () => {
    const slots = server.app.services.quotas.subscriptions;
    const open = (apiKey: string) => openStream(server.url, apiKey, held.operationId);
    const first = await open(server.apiKey);
    const second = await open(server.apiKey);
    expect(first.events).toContain('data');
    expect(second.events).toContain('data');

    const refused = await open(server.apiKey);
    expect(refused.events).not.toContain('data');
    expect(refused.errorData).toContain('RATE_LIMITED');

    // The bound is per key: another key of the same tenant follows the same operation.
    const otherKey = await server.app.services.auth.createApiKey('default', 'second subscriber');
    const other = await open(otherKey);
    expect(other.events).toContain('data');
    expect(slots.total).toBe(3);

    first.abort();
    await vi.waitFor(() => expect(slots.total).toBe(2), { timeout: 10_000 });
    const replacement = await open(server.apiKey);
    expect(replacement.events).toContain('data');

    // Closing the server ends every open stream without tRPC's final `return` event, so clients
    // reconnect (elsewhere) instead of treating the subscription as finished. The operation is
    // still held, so nothing but the close can have ended them.
    closing = server.close();
    for (const stream of [second, other, replacement]) {
      await stream.ended;
      expect(stream.events).not.toContain('return');
    }
    await vi.waitFor(() => expect(slots.total).toBe(0), { timeout: 10_000 });
    held.release();
    await closing;
  });
});
