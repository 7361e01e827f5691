import { LeaseReleasedError } from './errors.ts';

/** Called exactly once per lease, with the whole buffer, when the lease is released. */
export type ReturnBuffer = (lease: BufferLease, backing: Buffer) => void;

/**
 * A buffer borrowed from a MemoryPool. `buffer` (and `bytes`, the same memory typed as a plain
 * Uint8Array) is exactly `size` bytes long; `capacity` is what the pool charges for it.
 * Contents are whatever the previous holder left, as with `Buffer.allocUnsafe`: write before reading.
 * Release it with `using` / `await using`, `release()` or `MemoryPool.withLease`; releasing twice is harmless.
 */
export class BufferLease implements Disposable, AsyncDisposable {
  readonly size: number;
  readonly capacity: number;
  readonly #returnBuffer: ReturnBuffer;
  #backing: Buffer | undefined;
  #view: Buffer | undefined;

  constructor(returnBuffer: ReturnBuffer, backing: Buffer, size: number) {
    this.#returnBuffer = returnBuffer;
    this.#backing = backing;
    this.#view = backing.subarray(0, size);
    this.size = size;
    this.capacity = backing.length;
  }

  /** Throws LeaseReleasedError after release: the memory may already belong to someone else. */
  get buffer(): Buffer {
    if (this.#view === undefined) throw new LeaseReleasedError();
    return this.#view;
  }

  get bytes(): Uint8Array {
    return this.buffer;
  }

  get released(): boolean {
    return this.#backing === undefined;
  }

  release(): void {
    const backing = this.#backing;
    if (backing === undefined) return;
    this.#backing = undefined;
    this.#view = undefined;
    this.#returnBuffer(this, backing);
  }

  [Symbol.dispose](): void {
    this.release();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.release();
  }
}
