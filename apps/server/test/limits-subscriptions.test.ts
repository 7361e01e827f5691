import { fastifyTRPCPlugin } from '@trpc/server/adapters/fastify';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
// A test-only subscription built the way routers build theirs, to exercise the middleware alone.
import { boundedSubscriptions } from '../../../packages/api/src/middleware/bounded-subscriptions.ts';
import { authedProcedure, router } from '../../../packages/api/src/trpc.ts';
import { contextFactory } from '../src/http/context.ts';
import { endEventStreamsOnClose } from '../src/http/shutdown.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const MAX_STREAMS_PER_KEY = 2;

const testRouter = router({
  events: authedProcedure.use(boundedSubscriptions).subscription(async function* ({ signal }) {
    yield 'open';
    // Stays open until the client leaves or the server cuts the stream.
    await new Promise((resolve) => signal?.addEventListener('abort', resolve, { once: true }));
  }),
});

interface OpenStream {
  /** Named events seen (tRPC sends `connected`, `serialized-error`, `return`…); data events as 'data'. */
  events: string[];
  errorData: string | undefined;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  abort(): void;
}

/** Opens the SSE stream and resolves once the first data event or an error event arrived. */
async function openStream(url: string, apiKey: string): Promise<OpenStream> {
  const controller = new AbortController();
  const response = await fetch(`${url}/trpc/events`, {
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

describe('bounded SSE subscriptions per API key', () => {
  let server: TestServer;
  let sse: FastifyInstance;
  let url: string;

  beforeAll(async () => {
    server = await startTestServer('embedded', {
      environment: { MAX_SSE_CONNECTIONS_PER_KEY: String(MAX_STREAMS_PER_KEY) },
    });
    sse = Fastify();
    endEventStreamsOnClose(sse);
    await sse.register(fastifyTRPCPlugin, {
      prefix: '/trpc',
      trpcOptions: { router: testRouter, createContext: contextFactory(server.app.services) },
    });
    url = await sse.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await sse?.close();
    await server?.close();
  });

  it('refuses a stream over the bound, frees the slot when a client leaves, and cuts streams on close', async () => {
    const slots = server.app.services.limits.subscriptions;
    const first = await openStream(url, server.apiKey);
    const second = await openStream(url, server.apiKey);
    expect(first.events).toContain('data');
    expect(second.events).toContain('data');

    const refused = await openStream(url, server.apiKey);
    expect(refused.events).not.toContain('data');
    expect(refused.errorData).toContain('RATE_LIMITED');

    // The bound is per key.
    const otherKey = await server.app.services.auth.createApiKey('other-subscriber', 'test');
    const other = await openStream(url, otherKey);
    expect(other.events).toContain('data');
    expect(slots.total).toBe(3);

    first.abort();
    await vi.waitFor(() => expect(slots.total).toBe(2), { timeout: 10_000 });
    const replacement = await openStream(url, server.apiKey);
    expect(replacement.events).toContain('data');

    // Closing the server ends every open stream without tRPC's final `return` event, so clients
    // reconnect (elsewhere) instead of treating the subscription as finished.
    await sse.close();
    for (const stream of [second, other, replacement]) {
      await stream.ended;
      expect(stream.events).not.toContain('return');
    }
    await vi.waitFor(() => expect(slots.total).toBe(0), { timeout: 10_000 });
  });
});
