import { exceptionTranslator } from '@chunkflow/core-services';
import { type ApplicationError, CORRELATION_HEADER, type PublicError } from '@chunkflow/errors';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import superjson from 'superjson';

export type ApiErrorData = PublicError & { httpStatus: number; path?: string; retryAfter?: number };

/** tRPC's error shape (`error` of a response, before the transformer): the JSON-RPC code and our data. */
export interface TrpcErrorShape {
  code: number;
  message: string;
  data: ApiErrorData;
}

/** Everything an HTTP error answer is made of, in both the shapes the API answers in. */
export interface ErrorAnswer {
  status: number;
  headers: Record<string, string>;
  /** The documented REST body: `{ error: { code, message, correlationId, details? } }`. */
  rest: { error: PublicError };
  /** What tRPC clients read (`error.data` holds the REST fields, status and Retry-After). */
  trpc: TrpcErrorShape;
}

export interface ErrorAnswerOptions {
  /** The request's id: it names the answer (header and body). */
  correlationId?: string | undefined;
  /** The status Fastify or Node chose when it differs from the code's (414, 415, 431...). */
  status?: number | undefined;
  /** The tRPC procedure that failed. */
  path?: string | undefined;
}

type TrpcErrorKey = keyof typeof TRPC_ERROR_CODES_BY_KEY;

/** tRPC's name for each status our codes use; tRPC clients decide retries by the JSON-RPC code. */
const TRPC_KEY_BY_STATUS: Record<number, TrpcErrorKey> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  408: 'TIMEOUT',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_CONTENT',
  429: 'TOO_MANY_REQUESTS',
  499: 'CLIENT_CLOSED_REQUEST',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
};

/** The tRPC error key of an error answered with this HTTP status (a 4xx is never "internal"). */
export function trpcErrorKeyOf(httpStatus: number): TrpcErrorKey {
  return TRPC_KEY_BY_STATUS[httpStatus] ?? (httpStatus < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR');
}

/**
 * The one function that decides what a failure answers over HTTP, wherever it was raised (a
 * procedure over tRPC or REST, an edge hook, Fastify's or Node's own refusals): status, headers
 * (Retry-After, the correlation id) and body. 5xx messages are replaced with safe text.
 */
export function errorAnswer(error: ApplicationError, options: ErrorAnswerOptions = {}): ErrorAnswer {
  const status = options.status ?? error.httpStatus;
  const shown = exceptionTranslator.toPublic(error, options.correlationId);
  const data: ApiErrorData = {
    ...shown,
    httpStatus: status,
    ...(options.path === undefined ? {} : { path: options.path }),
    ...(error.retryAfter === undefined ? {} : { retryAfter: error.retryAfter }),
  };
  return {
    status,
    headers: {
      [CORRELATION_HEADER]: shown.correlationId,
      ...(error.retryAfter === undefined ? {} : { 'retry-after': String(error.retryAfter) }),
    },
    rest: { error: shown },
    trpc: { code: TRPC_ERROR_CODES_BY_KEY[trpcErrorKeyOf(status)], message: shown.message, data },
  };
}

/**
 * The tRPC response body of a refusal made before tRPC saw the request (edge limits, throttles,
 * router refusals), so the typed client reads its code instead of failing to parse it: one error
 * per call of a batch (`/trpc/a,b?batch=1`).
 */
export function trpcErrorBody(shape: TrpcErrorShape, url: string): string {
  const error = { error: superjson.serialize(shape) };
  const [path = '', query = ''] = url.slice('/trpc/'.length).split('?');
  const isBatch = new URLSearchParams(query).get('batch') === '1';
  return JSON.stringify(isBatch ? path.split(',').map(() => error) : error);
}
