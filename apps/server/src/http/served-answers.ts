import {
  createCallerFactory,
  errorAnswer,
  type RequestContext,
  type ServedAnswer,
  servedRouter,
  toApplicationError,
  trpcErrorBody,
} from '@chunkflow/api';
import { getTRPCErrorFromUnknown, type TRPCError } from '@trpc/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import superjson from 'superjson';

/**
 * Single calls of the cacheable procedures (previews, the catalogue) answered with their prepared
 * wire text: the procedure runs as always (its middleware: correlation scope, metrics, deadline,
 * auth, rate limit; its input schema), but its answer, validated and serialised once when
 * computed, is written as it is instead of being validated, transformed and stringified again,
 * and the body is parsed once, with no fetch Request built around it. Anything else (batches,
 * unreadable input, other procedures) is left to the ordinary tRPC and REST adapters, which answer
 * the same bytes for the same call.
 */

type Call = (ctx: RequestContext, input: unknown, signal: AbortSignal) => Promise<ServedAnswer>;

const createServedCaller = createCallerFactory(servedRouter);
type ServedCaller = ReturnType<typeof createServedCaller>;

/** The served procedures by their tRPC path, with the HTTP method of a single call. */
const served = new Map<string, { method: 'GET' | 'POST'; call: Call }>(
  (
    [
      ['chunking.strategies', 'GET', (caller: ServedCaller) => caller.chunking.strategies],
      ['chunking.getPreview', 'GET', (caller: ServedCaller) => caller.chunking.getPreview],
      ['chunking.preview', 'POST', (caller: ServedCaller) => caller.chunking.preview],
      ['chunking.previewByHash', 'POST', (caller: ServedCaller) => caller.chunking.previewByHash],
    ] as const
  ).map(([path, method, pick]: readonly [string, 'GET' | 'POST', (caller: ServedCaller) => unknown]) => [
    path,
    {
      method,
      call: (ctx, input, signal) =>
        (pick(createServedCaller(ctx, { signal })) as (input: unknown) => Promise<ServedAnswer>)(input),
    },
  ]),
);

/** The REST routes served here, by method and path, with the tRPC path they call. */
const restRoutes = new Map([
  ['GET /api/v2/chunking/strategies', 'chunking.strategies'],
  ['POST /api/v2/chunking/preview', 'chunking.preview'],
  ['POST /api/v2/chunking/preview/by-hash', 'chunking.previewByHash'],
]);

export interface ServedAnswerHooks {
  createContext: (request: FastifyRequest) => RequestContext;
  /** The procedure failure log the adapters' `onError` writes. */
  logFailure: (failure: { error: TRPCError; path: string; ctx: RequestContext }) => void;
}

/** A signal that fires when the client goes away before its answer is written (as tRPC's adapter gives). */
function departureSignal(reply: FastifyReply): AbortSignal {
  const departure = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) departure.abort(new DOMException('The client went away', 'AbortError'));
  });
  return departure.signal;
}

/** The input of a single tRPC call, or undefined when it is not one this path reads (then tRPC does). */
function trpcInput(request: FastifyRequest, method: 'GET' | 'POST'): { value: unknown } | undefined {
  const query = request.query as Record<string, unknown>;
  const keys = Object.keys(query);
  try {
    if (method === 'GET') {
      if (keys.length === 0) return { value: undefined };
      if (keys.length !== 1 || typeof query.input !== 'string') return undefined;
      return { value: fromSuperjson(JSON.parse(query.input)) };
    }
    // tRPC's plugin hands its JSON bodies over as text: parsed here once, and only here.
    if (keys.length !== 0 || typeof request.body !== 'string' || request.body === '') return undefined;
    return { value: fromSuperjson(JSON.parse(request.body)) };
  } catch {
    return undefined;
  }
}

/** superjson's wire form of an input; without `meta` there is nothing to revive. */
function fromSuperjson(wire: unknown): unknown {
  if (typeof wire !== 'object' || wire === null || !('json' in wire)) throw new TypeError('not superjson');
  return 'meta' in wire
    ? superjson.deserialize(wire as Parameters<typeof superjson.deserialize>[0])
    : wire.json;
}

/** A `preHandler` for the tRPC routes: answers single calls of served procedures, skips the rest. */
export function trpcServedAnswers(hooks: ServedAnswerHooks) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.slice('/trpc/'.length).split('?', 1)[0] ?? '';
    const procedure = served.get(path);
    if (!procedure || procedure.method !== request.method) return;
    const input = trpcInput(request, procedure.method);
    if (!input) return;
    const ctx = hooks.createContext(request);
    try {
      const answer = await procedure.call(ctx, input.value, departureSignal(reply));
      return reply.code(200).header('content-type', 'application/json').send(Buffer.from(answer.trpc()));
    } catch (error) {
      hooks.logFailure({ error: getTRPCErrorFromUnknown(error), path, ctx });
      const failure = errorAnswer(toApplicationError(error), { correlationId: ctx.correlationId, path });
      return reply
        .code(failure.status)
        .headers(failure.headers)
        .header('content-type', 'application/json')
        .send(Buffer.from(trpcErrorBody(failure.trpc, request.url)));
    }
  };
}

/** A `preHandler` for the REST routes: answers the served ones, skips the rest. */
export function restServedAnswers(hooks: ServedAnswerHooks) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const [pathname = '', query] = request.url.split('?', 2);
    const path = restRoutes.get(`${request.method} ${pathname}`);
    const procedure = path === undefined ? undefined : served.get(path);
    if (!procedure || path === undefined) return;
    // The catalogue takes no input; a body must be JSON the REST adapter would read the same way.
    let input: unknown = {};
    if (request.method === 'POST') {
      if (query !== undefined || !request.headers['content-type']?.startsWith('application/json')) return;
      if (typeof request.body !== 'object' || request.body === null) return;
      input = request.body;
    }
    const ctx = hooks.createContext(request);
    try {
      const answer = await procedure.call(ctx, input, departureSignal(reply));
      // As the REST adapter sends it (Fastify adds the charset); tRPC's is written as bytes.
      return reply.code(200).header('content-type', 'application/json').send(answer.rest());
    } catch (error) {
      // As the REST adapter's onError: logged, then answered by Fastify's error handler.
      hooks.logFailure({ error: getTRPCErrorFromUnknown(error), path, ctx });
      throw error;
    }
  };
}
