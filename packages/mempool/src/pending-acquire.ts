import { AcquireAbortedError, AcquireTimeoutError } from './errors.ts';
import type { BufferLease } from './lease.ts';

export interface AcquireOptions {
  /** Stop waiting when this fires; the promise rejects with AcquireAbortedError. */
  signal?: AbortSignal;
  /** Stop waiting after this long; the promise rejects with AcquireTimeoutError. */
  timeoutMs?: number;
}

/**
 * One caller waiting in the pool's queue. It settles exactly once: granted a lease by the pool,
 * or given up on timeout or abort, in which case `onGiveUp` lets the pool drop it from the queue.
 */
export class PendingAcquire {
  readonly size: number;
  readonly capacity: number;
  readonly promise: Promise<BufferLease>;
  #resolve!: (lease: BufferLease) => void;
  #finish: () => void = () => {};

  constructor(
    size: number,
    capacity: number,
    { signal, timeoutMs }: AcquireOptions,
    onGiveUp: (pending: PendingAcquire) => void,
  ) {
    this.size = size;
    this.capacity = capacity;
    this.promise = new Promise<BufferLease>((resolve, reject) => {
      this.#resolve = resolve;
      const giveUp = (error: Error) => {
        this.#finish();
        onGiveUp(this);
        reject(error);
      };
      const onAbort = () => giveUp(new AcquireAbortedError(size, signal?.reason));
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => giveUp(new AcquireTimeoutError(size, timeoutMs)), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#finish = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
    });
  }

  grant(lease: BufferLease): void {
    this.#finish();
    this.#resolve(lease);
  }
}
