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
