import { exceptionTranslator } from '@chunkflow/core-services';
import {
  ApplicationError,
  DocumentTooLargeError,
  RateLimitedError,
  UnauthorizedError,
  ValidationError,
} from '@chunkflow/errors';
import { experimental_standaloneMiddleware, TRPCError } from '@trpc/server';
import type { RequestContext } from '../context.ts';
import { trpcErrorKeyOf } from './answer.ts';

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
 * The ApplicationError behind any failure: the one place a failure is translated. A procedure's
 * failure arrives translated already (see `translateErrors`: a TRPCError whose cause it is);
 * failures tRPC or its adapters raise before a procedure runs are translated here.
 */
export function toApplicationError(error: unknown): ApplicationError {
  if (!(error instanceof TRPCError)) return exceptionTranslator.translate(error);
  const cause = error.cause;
  if (cause instanceof ApplicationError) return cause;
  if (cause !== undefined && error.code === 'INTERNAL_SERVER_ERROR')
    return exceptionTranslator.translate(cause);
  if (cause?.name === 'ZodError') return exceptionTranslator.translate(cause);
  return fromTrpcError(error) ?? exceptionTranslator.translate(cause ?? error);
}

/**
 * A TRPCError carrying the translation of `error` as its cause, with the tRPC code of its status
 * (for tRPC's hooks): what a procedure's failure is once translated.
 */
export function translatedFailure(error: unknown): TRPCError {
  const translated = toApplicationError(error);
  return new TRPCError({
    code: trpcErrorKeyOf(translated.httpStatus),
    message: translated.message,
    cause: translated,
  });
}

/**
 * Turns whatever a procedure (its middlewares, input and output parsers, resolver) throws into a
 * TRPCError whose cause is the translated ApplicationError, so every later reader (metrics, hooks,
 * the error formatter, the HTTP answer) reads the same error instead of translating again.
 */
export const translateErrors = experimental_standaloneMiddleware<{ ctx: RequestContext }>().create(
  async ({ next }) => {
    const result = await next();
    return result.ok ? result : { ...result, error: translatedFailure(result.error) };
  },
);
