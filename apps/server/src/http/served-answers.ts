import {
  errorAnswer,
  type RequestContext,
  type ServedAnswer,
  servedCalls,
  toApplicationError,
  trpcErrorBody,
} from '@chunkflow/api';
import { getTRPCErrorFromUnknown, type TRPCError } from '@trpc/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import superjson from 'superjson';
import { acceptsGzip } from './accept-encoding.ts';

/**
 * Single calls of the cacheable procedures (previews, the catalogue) answered with their prepared
 * wire bytes: the procedure's steps run as always (correlation scope, metrics, auth, rate limit,
 * its input schema; a deadline where it can compute), but its answer, validated and serialised
 * once when computed, is written as it is instead of being validated, transformed and stringified
 * again, and the body is parsed once, with no fetch Request built around it. Anything else
 * (batches, unreadable input, other procedures) is left to the ordinary tRPC and REST adapters,
 * which answer the same bytes for the same call.
 */

/** The HTTP method of a single call of each kind. */
const METHOD_OF = { query: 'GET', mutation: 'POST' } as const;

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

/**
 * A controller aborted when the client goes away before its answer is written (as tRPC's adapter
 * signals it); made only when a call asks for it.
 */
function departureOf(reply: FastifyReply): () => AbortController {
  return () => {
    const departure = new AbortController();
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished)
        departure.abort(new DOMException('The client went away', 'AbortError'));
    });
    return departure;
  };
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

const verbatim = (payload: unknown) => payload as string;

/** The content types the adapters answer with: tRPC's bare, REST's as Fastify completes it. */
const TRPC_CONTENT_TYPE = 'application/json';
const REST_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * Writes a served answer's bytes in its tRPC or REST form, gzipped when the client accepts it and
 * the answer is large enough to gain (its compressed bytes are made once, so this costs no
 * compression); the answer then varies with the header.
 */
function sendServed(
  request: FastifyRequest,
  reply: FastifyReply,
  answer: ServedAnswer,
  form: 'trpc' | 'rest',
): FastifyReply {
  const contentType = form === 'trpc' ? TRPC_CONTENT_TYPE : REST_CONTENT_TYPE;
  void reply.code(200).header('content-type', contentType);
  if (!answer.compressible) return reply.send(answer[form]());
  void reply.header('vary', 'accept-encoding');
  if (!acceptsGzip(request.headers['accept-encoding'])) return reply.send(answer[form]());
  return reply.header('content-encoding', 'gzip').send(answer[form]('gzip'));
}

/**
 * The text as tRPC's adapter writes it: `application/json` with no charset parameter (Fastify
 * adds one to JSON strings unless a serializer is set), written as the string it is.
 */
function asTrpcWrites(reply: FastifyReply): FastifyReply {
  return reply.serializer(verbatim).header('content-type', TRPC_CONTENT_TYPE);
}

/** A `preHandler` for the tRPC routes: answers single calls of served procedures, skips the rest. */
export function trpcServedAnswers(hooks: ServedAnswerHooks) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.slice('/trpc/'.length).split('?', 1)[0] ?? '';
    const procedure = servedCalls.get(path);
    if (!procedure || METHOD_OF[procedure.type] !== request.method) return;
    // A client asking for tRPC's streamed form gets it from tRPC.
    if (request.headers['trpc-accept'] !== undefined) return;
    const input = trpcInput(request, METHOD_OF[procedure.type]);
    if (!input) return;
    const ctx = hooks.createContext(request);
    try {
      return sendServed(
        request,
        reply,
        await procedure.run(path, ctx, input.value, departureOf(reply)),
        'trpc',
      );
    } catch (error) {
      hooks.logFailure({ error: getTRPCErrorFromUnknown(error), path, ctx });
      const failure = errorAnswer(toApplicationError(error), { correlationId: ctx.correlationId, path });
      return asTrpcWrites(reply)
        .code(failure.status)
        .headers(failure.headers)
        .send(trpcErrorBody(failure.trpc, request.url));
    }
  };
}

/** A `preHandler` for the REST routes: answers the served ones, skips the rest. */
export function restServedAnswers(hooks: ServedAnswerHooks) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const [pathname = '', query] = request.url.split('?', 2);
    const path = restRoutes.get(`${request.method} ${pathname}`);
    const procedure = path === undefined ? undefined : servedCalls.get(path);
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
      return sendServed(request, reply, await procedure.run(path, ctx, input, departureOf(reply)), 'rest');
    } catch (error) {
      // As the REST adapter's onError: logged, then answered by Fastify's error handler.
      hooks.logFailure({ error: getTRPCErrorFromUnknown(error), path, ctx });
      throw error;
    }
  };
}
