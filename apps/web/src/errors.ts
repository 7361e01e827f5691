import { TRPCClientError } from '@chunkflow/client';
import { RestError } from './upload.ts';

/** What the page shows of a failed call: the server's code and message and its correlation id. */
export interface ReadableError {
  code: string;
  message: string;
  correlationId: string | undefined;
  field: string | undefined;
}

interface ErrorData {
  code?: unknown;
  correlationId?: unknown;
  details?: { field?: unknown };
}

export function readableError(error: unknown): ReadableError {
  if (error instanceof TRPCClientError) {
    const data = (error.data ?? {}) as ErrorData;
    return {
      code: typeof data.code === 'string' ? data.code : 'NETWORK_ERROR',
      message: error.message,
      correlationId: typeof data.correlationId === 'string' ? data.correlationId : undefined,
      field: typeof data.details?.field === 'string' ? data.details.field : undefined,
    };
  }
  if (error instanceof RestError) {
    return { code: error.code, message: error.message, correlationId: error.correlationId, field: undefined };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'CLIENT_ERROR', message, correlationId: undefined, field: undefined };
}

/** A superseded request is aborted on purpose; it is not worth showing. */
export function isAbort(error: unknown): boolean {
  if (error instanceof DOMException && error.name === 'AbortError') return true;
  return (
    error instanceof TRPCClientError &&
    error.cause instanceof DOMException &&
    error.cause.name === 'AbortError'
  );
}
