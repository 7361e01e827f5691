import {
  ApplicationError,
  type ApplicationErrorOptions,
  CancelledError,
  InternalError,
  ResourceExhaustedError,
} from '@chunkflow/errors';

/**
 * A lease bigger than the whole pool can never be granted, so it fails at once instead of waiting
 * forever. It is a sizing bug on our side (windows are sized by the server), hence a 500.
 */
export class LeaseTooLargeError extends ApplicationError {
  constructor(requestedBytes: number, maxBytes: number, options: ApplicationErrorOptions = {}) {
    super(
      'INTERNAL_ERROR',
      `A lease of ${requestedBytes} bytes can never fit a memory pool of ${maxBytes} bytes`,
      { ...options, details: { ...options.details, requestedBytes, maxBytes } },
    );
  }
}

/**
 * The pool stayed exhausted for the caller's whole `timeoutMs`: the server is overloaded, so the
 * client is told to retry later (503 + Retry-After) rather than that its request timed out.
 */
export class AcquireTimeoutError extends ResourceExhaustedError {
  constructor(requestedBytes: number, timeoutMs: number) {
    super('memory pool', { details: { requestedBytes, timeoutMs } });
  }
}

/** The caller's AbortSignal fired while it waited; the signal's reason is kept as `cause`. */
export class AcquireAbortedError extends CancelledError {
  constructor(requestedBytes: number, reason: unknown) {
    super(`Leasing ${requestedBytes} bytes from the memory pool`, {
      cause: reason,
      details: { requestedBytes },
    });
  }
}

/** Reading a lease's bytes after release would race with whoever is handed the buffer next. */
export class LeaseReleasedError extends InternalError {
  constructor() {
    super('This memory lease was already released; its buffer may belong to another task now');
  }
}
