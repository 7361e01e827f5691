import { type ErrorCode, errorHttpStatus } from './codes.ts';
import { currentCorrelationId } from './correlation.ts';

export interface ApplicationErrorOptions {
  details?: Record<string, unknown> | undefined;
  cause?: unknown;
  correlationId?: string;
  /** Seconds the client should wait before retrying (RATE_LIMITED, DEPENDENCY_UNAVAILABLE). */
  retryAfter?: number | undefined;
}

/**
 * The one error type that crosses layers. `message` is safe to show a client for 4xx codes;
 * for 5xx the edge replaces it with a generic text and only logs keep it and its `cause` chain.
 */
export class ApplicationError extends Error {
  readonly code: ErrorCode;
  readonly httpStatus: number;
  readonly details: Record<string, unknown> | undefined;
  readonly correlationId: string | undefined;
  readonly retryAfter: number | undefined;

  constructor(code: ErrorCode, message: string, options: ApplicationErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.httpStatus = errorHttpStatus[code];
    this.details = options.details;
    this.correlationId = options.correlationId ?? currentCorrelationId();
    this.retryAfter = options.retryAfter;
  }

  get isServerError(): boolean {
    return this.httpStatus >= 500;
  }
}

export class ValidationError extends ApplicationError {
  constructor(message: string, options?: ApplicationErrorOptions) {
    super('VALIDATION_ERROR', message, options);
  }
}

/** A chunking config the engine cannot run; `details.field` names the offending key. */
export class InvalidConfigError extends ApplicationError {
  constructor(message: string, field: string | undefined, options: ApplicationErrorOptions = {}) {
    super('INVALID_CONFIG', message, { ...options, details: { ...options.details, field } });
  }
}

export class DocumentTooLargeError extends ApplicationError {
  constructor(sizeBytes: number, limitBytes: number, options: ApplicationErrorOptions = {}) {
    super('DOCUMENT_TOO_LARGE', `Document of ${sizeBytes} bytes exceeds the limit of ${limitBytes} bytes`, {
      ...options,
      details: { ...options.details, sizeBytes, limitBytes },
    });
  }
}

/** A file type the server does not convert; `details.contentType` names what was sent. */
export class UnsupportedDocumentError extends ApplicationError {
  constructor(contentType: string, options: ApplicationErrorOptions = {}) {
    super('UNSUPPORTED_DOCUMENT', `Documents of type ${contentType} are not supported`, {
      ...options,
      details: { ...options.details, contentType },
    });
  }
}

/** A file that cannot be read safely; `details.reason` says why in one stable word. */
export class InvalidDocumentError extends ApplicationError {
  constructor(reason: InvalidDocumentReason, message: string, options: ApplicationErrorOptions = {}) {
    super('INVALID_DOCUMENT', message, { ...options, details: { ...options.details, reason } });
  }
}

export type InvalidDocumentReason =
  | 'corrupt'
  | 'encrypted'
  | 'type_mismatch'
  | 'budget'
  | 'bomb'
  | 'encoding';

export class NotFoundError extends ApplicationError {
  constructor(resource: string, id: string, options: ApplicationErrorOptions = {}) {
    super('NOT_FOUND', `${resource} ${id} not found`, {
      ...options,
      details: { ...options.details, resource, id },
    });
  }
}

/** A preview asked for by content hash that is not cached (never computed, expired, evicted). */
export class NotCachedError extends ApplicationError {
  constructor(contentHash: string, options: ApplicationErrorOptions = {}) {
    super('NOT_CACHED', 'No cached preview for this content hash, strategy and config; send the content', {
      ...options,
      details: { ...options.details, contentHash },
    });
  }
}

export class ConflictError extends ApplicationError {
  constructor(message: string, options?: ApplicationErrorOptions) {
    super('CONFLICT', message, options);
  }
}

export class InvalidStateTransitionError extends ApplicationError {
  constructor(from: string, to: string, options: ApplicationErrorOptions = {}) {
    super('INVALID_STATE_TRANSITION', `Cannot move from ${from} to ${to}`, {
      ...options,
      details: { ...options.details, from, to },
    });
  }
}

export class UnauthorizedError extends ApplicationError {
  constructor(message = 'A valid API key is required', options?: ApplicationErrorOptions) {
    super('UNAUTHORIZED', message, options);
  }
}

export class ForbiddenError extends ApplicationError {
  constructor(message = 'Not allowed', options?: ApplicationErrorOptions) {
    super('FORBIDDEN', message, options);
  }
}

export class RateLimitedError extends ApplicationError {
  constructor(retryAfterSeconds: number, options: ApplicationErrorOptions = {}) {
    super('RATE_LIMITED', 'Too many requests', { ...options, retryAfter: retryAfterSeconds });
  }
}

export class DependencyUnavailableError extends ApplicationError {
  constructor(dependency: string, options: ApplicationErrorOptions = {}) {
    super('DEPENDENCY_UNAVAILABLE', `${dependency} is unavailable`, {
      retryAfter: 5,
      ...options,
      details: { ...options.details, dependency },
    });
  }
}

export class TimeoutError extends ApplicationError {
  /** `timeoutMs` is omitted when the deadline was someone else's (e.g. an AbortSignal.timeout). */
  constructor(operation: string, timeoutMs?: number, options: ApplicationErrorOptions = {}) {
    const after = timeoutMs === undefined ? '' : ` after ${timeoutMs} ms`;
    super('TIMEOUT', `${operation} timed out${after}`, {
      ...options,
      details: { ...options.details, operation, ...(timeoutMs === undefined ? {} : { timeoutMs }) },
    });
  }
}

/**
 * A request's work outran its time budget (e.g. `REQUEST_TIMEOUT_MS`). A 4xx, not TIMEOUT's 504:
 * the same request would fail again, so the client must ask for less (smaller input, cheaper config).
 */
export class BudgetExceededError extends ApplicationError {
  constructor(operation: string, budgetMs: number, options: ApplicationErrorOptions = {}) {
    super('BUDGET_EXCEEDED', `${operation} exceeded its time budget of ${budgetMs} ms`, {
      ...options,
      details: { ...options.details, operation, budgetMs },
    });
  }
}

export class CancelledError extends ApplicationError {
  constructor(operation: string, options: ApplicationErrorOptions = {}) {
    super('CANCELLED', `${operation} was cancelled`, {
      ...options,
      details: { ...options.details, operation },
    });
  }
}

export class ResourceExhaustedError extends ApplicationError {
  constructor(resource: string, options: ApplicationErrorOptions = {}) {
    super('RESOURCE_EXHAUSTED', `${resource} is exhausted; retry later`, {
      retryAfter: 1,
      ...options,
      details: { ...options.details, resource },
    });
  }
}

export class InternalError extends ApplicationError {
  constructor(message = 'Internal error', options?: ApplicationErrorOptions) {
    super('INTERNAL_ERROR', message, options);
  }
}
