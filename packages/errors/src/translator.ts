import { ZodError } from 'zod';
import {
  ApplicationError,
  CancelledError,
  InternalError,
  TimeoutError,
  ValidationError,
} from './application-error.ts';
import { type ErrorCode, errorCodeTable } from './codes.ts';
import { currentCorrelationId } from './correlation.ts';

/** What a client sees of an error: the REST body's `error` and the tRPC `error.data` fields. */
export interface PublicError {
  code: ErrorCode;
  message: string;
  correlationId: string;
  details?: Record<string, unknown>;
}

/** A recogniser turns one family of foreign errors into an ApplicationError, or passes (undefined). */
export type ErrorRecognizer = (error: unknown) => ApplicationError | undefined;

const GENERIC_SERVER_MESSAGE = 'The server could not complete the request';

function fromZod(error: unknown): ApplicationError | undefined {
  if (!(error instanceof ZodError)) return undefined;
  const issues = error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  return new ValidationError('Invalid input', { cause: error, details: { issues } });
}

/**
 * Only the platform's aborts (DOMException from AbortController / AbortSignal.timeout): other
 * libraries reuse the name `AbortError` for unrelated failures (ioredis: connection closed).
 */
function fromAbort(error: unknown): ApplicationError | undefined {
  if (!(error instanceof DOMException)) return undefined;
  if (error.name === 'TimeoutError') return new TimeoutError('request', undefined, { cause: error });
  if (error.name === 'AbortError') return new CancelledError('request', { cause: error });
  return undefined;
}

/**
 * An abort that carries its signal's reason as `cause` (a worker pool's task abort): the reason
 * says what happened (a typed budget refusal, the client leaving), not the wrapper.
 */
function fromAbortReason(error: unknown): ApplicationError | undefined {
  if (!(error instanceof Error) || error.name !== 'AbortError') return undefined;
  if (error.cause instanceof ApplicationError) return error.cause;
  return error.cause instanceof DOMException ? fromAbort(error.cause) : undefined;
}

/**
 * Turns anything thrown into an ApplicationError (keeping the original as `cause`) and an
 * ApplicationError into what may be shown to a client. Recognisers for infrastructure errors
 * are registered by the packages that know them, most specific first.
 */
export class ExceptionTranslator {
  readonly #recognizers: ErrorRecognizer[];

  constructor(recognizers: ErrorRecognizer[] = []) {
    this.#recognizers = [...recognizers, fromZod, fromAbort, fromAbortReason];
  }

  translate(error: unknown): ApplicationError {
    if (error instanceof ApplicationError) return error;
    for (const recognize of this.#recognizers) {
      const translated = recognize(error);
      if (translated) return translated;
    }
    return new InternalError(error instanceof Error ? error.message : 'Non-error value thrown', {
      cause: error,
    });
  }

  /**
   * What a client may see of `error`. `correlationId` is the request's id, which names the answer
   * (an error may have been made in another request's scope, e.g. by a shared computation).
   */
  toPublic(error: ApplicationError, correlationId?: string): PublicError {
    const id = correlationId ?? error.correlationId ?? currentCorrelationId() ?? 'unknown-correlation-id';
    if (error.isServerError) {
      // Internal messages and causes stay in the logs; only the code and a safe hint leave.
      const safeDetails = error.code === 'INTERNAL_ERROR' ? undefined : pickSafeServerDetails(error);
      return {
        code: error.code,
        message: publicServerMessage(error),
        correlationId: id,
        ...withDetails(safeDetails),
      };
    }
    return { code: error.code, message: error.message, correlationId: id, ...withDetails(error.details) };
  }
}

function publicServerMessage(error: ApplicationError): string {
  const entry = errorCodeTable[error.code];
  return 'publicMessage' in entry ? entry.publicMessage : GENERIC_SERVER_MESSAGE;
}

function pickSafeServerDetails(error: ApplicationError): Record<string, unknown> | undefined {
  return error.retryAfter === undefined ? undefined : { retryAfter: error.retryAfter };
}

function withDetails(details: Record<string, unknown> | undefined): { details?: Record<string, unknown> } {
  return details === undefined ? {} : { details };
}
