import type { AppRouter as ServerRouter } from '@chunkflow/api';
import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  splitLink,
  type TRPCClient,
} from '@trpc/client';
import type { inferRouterInputs } from '@trpc/server';
import type { EventSourceLike } from '@trpc/server/unstable-core-do-not-import';
import superjson from 'superjson';
import { stopOnPermanentErrors } from './permanent-errors.ts';
import { previewByHash } from './preview-by-hash.ts';

/** The server's default MAX_BATCH_SIZE: a larger batch is refused whole. */
const DEFAULT_MAX_BATCH_SIZE = 20;
/** Queries travel in the URL; Node refuses request heads over 16 KiB (431). */
const DEFAULT_MAX_URL_LENGTH = 8 * 1024;

/** The fetch tRPC's batch link accepts (its own signature, stricter than `typeof fetch` about `init`). */
type BatchFetch = NonNullable<Parameters<typeof httpBatchLink>[0]['fetch']>;

export interface ChunkflowClientOptions {
  /** Server origin, e.g. `http://localhost:3000`. */
  url: string;
  apiKey?: string;
  /** Sent as X-Correlation-ID on every request, so a caller's id follows its calls. */
  correlationId?: string;
  fetch?: BatchFetch;
  /**
   * For runtimes without a global EventSource (Node 20, 22 and 24 have none unless started with
   * `--experimental-eventsource`): e.g. the `eventsource` package's class.
   */
  EventSource?: EventSourceLike.AnyConstructor;
  /** Most calls sent in one batch: the server's MAX_BATCH_SIZE (default 20); larger batches are split. */
  maxBatchSize?: number;
  /**
   * Previews of content this client sent before ask for the cached preview by the content's hash
   * (`chunking.previewByHash`) and send the content only when the server answers NOT_CACHED
   * (default true).
   */
  previewByHash?: boolean;
}

/**
 * Typed client for browsers and services: batched queries/mutations over `/trpc` (never more per
 * batch than the server accepts, nor a URL longer than it reads), subscriptions over SSE that end
 * with an error the server will give again (NOT_FOUND, UNAUTHORIZED...) instead of reconnecting
 * forever, superjson so Dates survive the wire; content previewed again travels as its hash.
 */
export function createChunkflowClient(options: ChunkflowClientOptions) {
  const url = `${options.url.replace(/\/$/, '')}/trpc`;
  const headers = (): Record<string, string> => ({
    ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
    ...(options.correlationId ? { 'x-correlation-id': options.correlationId } : {}),
  });
  return createTRPCClient<ServerRouter>({
    links: [
      ...(options.previewByHash === false ? [] : [previewByHash()]),
      splitLink({
        condition: (operation) => operation.type === 'subscription',
        // EventSource cannot send headers: the key travels as tRPC connection params instead.
        true: [
          stopOnPermanentErrors(),
          httpSubscriptionLink({
            url,
            transformer: superjson,
            connectionParams: () => (options.apiKey ? { apiKey: options.apiKey } : {}),
            ...(options.EventSource ? { EventSource: options.EventSource } : {}),
          }),
        ],
        false: httpBatchLink({
          url,
          transformer: superjson,
          headers,
          maxItems: options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE,
          maxURLLength: DEFAULT_MAX_URL_LENGTH,
          ...(options.fetch ? { fetch: options.fetch } : {}),
        }),
      }),
    ],
  });
}

export type ChunkflowClient = ReturnType<typeof createChunkflowClient>;
/**
 * The server's router as this client sees it (every procedure's input, output and errors), for
 * tRPC's helpers such as `inferRouterOutputs<AppRouter>`. Read off the client, so the published
 * declarations carry the router's types without the server's own modules.
 */
export type AppRouter = ChunkflowClient extends TRPCClient<infer Router> ? Router : never;
/**
 * A strategy, by name or alias, with the config keys that strategy takes, as preview, compare,
 * apply and presets send it: `{ strategy: 'markdown', config: { headingLevels: [1, 2] } }`.
 * A name or key the server does not know fails to compile.
 */
export type StrategyChoice = inferRouterInputs<AppRouter>['chunking']['compare']['strategies'][number];
/** A strategy's name or alias (`chunking.strategies` describes each strategy). */
export type StrategyName = StrategyChoice['strategy'];

/**
 * A strategy chosen at run time (from `chunking.strategies`, a form, an operation or preset the
 * server stored) with its config, typed as the procedures take it. The compiler cannot check such
 * a name or its keys; the server does, and refuses an unknown one with INVALID_CONFIG naming it.
 * A strategy written in code needs no helper: `{ strategy: 'markdown', config: { … } }` is checked
 * as it stands.
 */
export function strategyChoice(strategy: string, config?: Record<string, unknown>): StrategyChoice {
  return (config === undefined ? { strategy } : { strategy, config }) as StrategyChoice;
}
export { TRPCClientError } from '@trpc/client';
export { type ExportChunksOptions, ExportError, type ExportLine, exportChunks } from './export.ts';
export {
  IMPORT_LIMITS,
  type ImportBatchOptions,
  ImportError,
  type ImportFile,
  type ImportResult,
  type ImportSummary,
  importBatch,
} from './import.ts';
export { isPermanentError } from './permanent-errors.ts';
