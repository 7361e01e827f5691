import type { AppRouter } from '@chunkflow/api';
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import type { EventSourceLike } from '@trpc/server/unstable-core-do-not-import';
import superjson from 'superjson';

export interface ChunkflowClientOptions {
  /** Server origin, e.g. `http://localhost:3000`. */
  url: string;
  apiKey?: string;
  /** Sent as X-Correlation-ID on every request, so a caller's id follows its calls. */
  correlationId?: string;
  fetch?: typeof globalThis.fetch;
  /** For runtimes without a global EventSource (Node 20): e.g. the `eventsource` package's class. */
  EventSource?: EventSourceLike.AnyConstructor;
}

/**
 * Typed client for browsers and services: batched queries/mutations over `/trpc`, subscriptions
 * over SSE, superjson so Dates survive the wire.
 */
export function createChunkflowClient(options: ChunkflowClientOptions) {
  const url = `${options.url.replace(/\/$/, '')}/trpc`;
  const headers = (): Record<string, string> => ({
    ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
    ...(options.correlationId ? { 'x-correlation-id': options.correlationId } : {}),
  });
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (operation) => operation.type === 'subscription',
        // EventSource cannot send headers: the key travels as tRPC connection params instead.
        true: httpSubscriptionLink({
          url,
          transformer: superjson,
          connectionParams: () => (options.apiKey ? { apiKey: options.apiKey } : {}),
          ...(options.EventSource ? { EventSource: options.EventSource } : {}),
        }),
        false: httpBatchLink({
          url,
          transformer: superjson,
          headers,
          ...(options.fetch ? { fetch: options.fetch } : {}),
        }),
      }),
    ],
  });
}

export type ChunkflowClient = ReturnType<typeof createChunkflowClient>;
export { TRPCClientError } from '@trpc/client';
export type { AppRouter };
