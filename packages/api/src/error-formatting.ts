import {
  ApplicationError,
  DocumentTooLargeError,
  type ErrorCode,
  type ExceptionTranslator,
  type PublicError,
  RateLimitedError,
  UnauthorizedError,
  ValidationError,
} from '@chunkflow/errors';
import type { TRPCError } from '@trpc/server';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import superjson from 'superjson';

/** tRPC-generated failures (bad input, unknown procedure, oversize body…) in our vocabulary. */
function fromTrpcError(error: TRPCError): ApplicationError | undefined {
  switch (error.code) {
    case 'BAD_REQUEST':
    case 'PARSE_ERROR':
    case 'UNPROCESSABLE_CONTENT':
    case 'UNSUPPORTED_MEDIA_TYPE':
    case 'METHOD_NOT_SUPPORTED':
      return new ValidationError(error.message, { cause: error });
    case 'UNAUTHORIZED':
      return new UnauthorizedError(undefined, { cause: error });
    case 'PAYLOAD_TOO_LARGE':
      return new DocumentTooLargeError(Number.NaN, Number.NaN, { cause: error });
    case 'TOO_MANY_REQUESTS':
      return new RateLimitedError(1, { cause: error });
    case 'NOT_FOUND':
      return new ApplicationError('NOT_FOUND', 'No such procedure or path', { cause: error });
    default:
      return undefined;
  }
}

/**
 * One place that decides what a failed call looks like to a client: our thrown ApplicationErrors
 * pass through, anything else is translated; 5xx messages are replaced with safe text.
 */
export class ApiErrorPresenter {
  readonly #translator: ExceptionTranslator;

  constructor(translator: ExceptionTranslator) {
    this.#translator = translator;
  }

  toApplicationError(error: TRPCError): ApplicationError {
    const cause = error.cause;
    if (cause !== undefined && error.code === 'INTERNAL_SERVER_ERROR')
      return this.#translator.translate(cause);
    if (cause?.name === 'ZodError') return this.#translator.translate(cause);
    return fromTrpcError(error) ?? this.#translator.translate(cause ?? error);
  }

  present(error: ApplicationError, correlationId: string | undefined): PublicError & { httpStatus: number } {
    return { ...this.#translator.toPublic(error, correlationId), httpStatus: error.httpStatus };
  }
}

export type ApiErrorData = PublicError & { httpStatus: number; path?: string; retryAfter?: number };
export type { ErrorCode };

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

/** The JSON-RPC code of an error answered with this HTTP status (a 4xx is never "internal"). */
export function jsonRpcCodeOf(httpStatus: number): number {
  const key = TRPC_KEY_BY_STATUS[httpStatus] ?? (httpStatus < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR');
  return TRPC_ERROR_CODES_BY_KEY[key];
}

/**
 * A refusal made before tRPC saw the request (edge limits, throttles, router refusals) in tRPC's
 * own response shape, so the typed client reads its code instead of failing to parse it: one error
 * per call of a batch (`/trpc/a,b?batch=1`).
 */
export function trpcErrorResponse(data: ApiErrorData, url: string): string {
  const error = {
    error: superjson.serialize({ code: jsonRpcCodeOf(data.httpStatus), message: data.message, data }),
  };
  const [path = '', query = ''] = url.slice('/trpc/'.length).split('?');
  const isBatch = new URLSearchParams(query).get('batch') === '1';
  return JSON.stringify(isBatch ? path.split(',').map(() => error) : error);
}
