import {
  ApplicationError,
  type ApplicationErrorOptions,
  InternalError,
  TimeoutError,
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

/** The pool stayed exhausted for the caller's whole `timeoutMs`: the server is overloaded. */
export class AcquireTimeoutError extends TimeoutError {
  constructor(requestedBytes: number, timeoutMs: number) {
    super(`Leasing ${requestedBytes} bytes from the memory pool`, timeoutMs, {
      details: { requestedBytes },
    });
  }
}

/**
 * The caller's AbortSignal fired while it waited. The errors package maps every abort to TIMEOUT,
 * so this does too; the signal's reason is kept as `cause`.
 */
export class AcquireAbortedError extends ApplicationError {
  constructor(requestedBytes: number, reason: unknown) {
    super('TIMEOUT', `Leasing ${requestedBytes} bytes from the memory pool was aborted`, {
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
