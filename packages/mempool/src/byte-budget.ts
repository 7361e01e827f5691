/**
 * The bytes a pool may hold (leased plus cached). A private budget belongs to one pool; a shared
 * one (see SharedByteBudget) caps several pools on different threads together.
 */
export interface ByteBudget {
  readonly maxBytes: number;
  /** Bytes reserved by every pool drawing on this budget. */
  readonly reservedBytes: number;
  /** Reserves `bytes` if they fit under `maxBytes`; never blocks. */
  tryReserve(bytes: number): boolean;
  release(bytes: number): void;
  /** True while a pool on another thread waits for bytes, so cached buffers should be given back. */
  readonly contended: boolean;
  /**
   * Settles once another thread may have released bytes since this thread's last failed
   * `tryReserve`, or after `maxWaitMs`. Absent on a private budget: its one pool sees every release.
   */
  waitForForeignRelease?(maxWaitMs: number): Promise<void>;
  /** Settles once some pool waits for bytes, so idle pools can give their cached buffers back. */
  waitForContention?(): Promise<void>;
}

export class PrivateByteBudget implements ByteBudget {
  readonly maxBytes: number;
  readonly contended = false;
  #reserved = 0;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  get reservedBytes(): number {
    return this.#reserved;
  }

  tryReserve(bytes: number): boolean {
    if (this.#reserved + bytes > this.maxBytes) return false;
    this.#reserved += bytes;
    return true;
  }

  release(bytes: number): void {
    this.#reserved -= bytes;
  }
}
