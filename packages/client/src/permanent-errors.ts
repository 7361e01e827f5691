import { TRPCClientError, type TRPCLink } from '@trpc/client';
import type { AnyTRPCRouter } from '@trpc/server';
import { observable } from '@trpc/server/observable';

/** 4xx answers worth retrying later: timeouts, rate limits (slots free up), a client abort. */
const RETRYABLE_CLIENT_STATUSES = new Set([408, 429, 499]);

/**
 * Whether a subscription error will recur however often the stream reconnects: a 4xx from the
 * server (NOT_FOUND, UNAUTHORIZED, FORBIDDEN, VALIDATION_ERROR...), judged by the HTTP status
 * the server put in the error's data.
 */
export function isPermanentError(error: unknown): error is TRPCClientError<AnyTRPCRouter> {
  if (!(error instanceof TRPCClientError)) return false;
  const status = (error.data as { httpStatus?: unknown } | undefined)?.httpStatus;
  return (
    typeof status === 'number' && status >= 400 && status < 500 && !RETRYABLE_CLIENT_STATUSES.has(status)
  );
}

/**
 * The subscription link reports a server error as "connecting again" and reconnects forever. This
 * link ends the subscription instead when the error is permanent, surfacing it to `onError`.
 */
export function stopOnPermanentErrors<TRouter extends AnyTRPCRouter>(): TRPCLink<TRouter> {
  return () =>
    ({ next, op }) =>
      observable((observer) => {
        const upstream = next(op).subscribe({
          next(envelope) {
            const { result } = envelope;
            const failed = 'type' in result && result.type === 'state' && result.state === 'connecting';
            if (failed && isPermanentError(result.error)) observer.error(result.error);
            else observer.next(envelope);
          },
          error: (error) => observer.error(error),
          complete: () => observer.complete(),
        });
        return () => upstream.unsubscribe();
      });
}
