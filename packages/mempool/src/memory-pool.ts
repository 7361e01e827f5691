import { BufferCache } from './buffer-cache.ts';
import { type ByteBudget, PrivateByteBudget } from './byte-budget.ts';
import { AcquireAbortedError, LeaseTooLargeError } from './errors.ts';
import { BufferLease } from './lease.ts';
import { type AcquireOptions, PendingAcquire } from './pending-acquire.ts';
import { capacityFor } from './size-class.ts';

export interface MemoryPoolTuning {
  /** Most bytes kept in released buffers for reuse; default: `maxBytes` (the cache only uses idle budget). */
  maxCachedBytes?: number;
  /** Smallest buffer handed out, so tiny requests share one size class; default 4 KiB. */
  minBufferBytes?: number;
}

/** Either a private limit, or a budget shared with pools on other threads (SharedByteBudget). */
export type MemoryPoolOptions = MemoryPoolTuning & ({ maxBytes: number } | { budget: ByteBudget });

export interface MemoryPoolStats {
  activeBuffers: number;
  freeBuffers: number;
  /** Bytes held by unreleased leases (buffer capacities, not requested sizes). */
  usedBytes: number;
  /** Bytes held by free buffers kept for reuse; `usedBytes + cachedBytes <= maxBytes` always. */
  cachedBytes: number;
  maxBytes: number;
  /** Highest `usedBytes` seen. */
  peakBytes: number;
  acquisitions: number;
  /** Buffers newly allocated (acquisitions not served from the cache). */
  allocations: number;
  releases: number;
  /** Share of acquisitions served by a cached buffer. */
  reuseRate: number;
  /** Leases garbage-collected without release; their bytes were returned to the budget. */
  leakCount: number;
  waiters: number;
}

const DEFAULT_MIN_BUFFER_BYTES = 4096;
/** How long a thread sleeps on a shared budget before re-checking that someone still waits. */
const FOREIGN_RELEASE_POLL_MS = 100;

/**
 * Bounded, leased buffers for streaming documents far larger than memory. `acquire` waits in
 * strict FIFO order while the budget is exhausted (no small request overtakes a big one, so none
 * starves) and never lets leased plus cached bytes exceed `maxBytes`. Free buffers are kept by
 * size class for reuse and evicted when a request needs their budget. A lease dropped without
 * release is noticed when its buffer is garbage-collected; its bytes come back and `leakCount` grows.
 */
export class MemoryPool {
  readonly maxBytes: number;
  readonly #budget: ByteBudget;
  readonly #maxCachedBytes: number;
  readonly #minBufferBytes: number;
  readonly #cache = new BufferCache();
  /** A Set keeps insertion order and deletes in O(1): a FIFO queue that tolerates give-ups. */
  readonly #waiters = new Set<PendingAcquire>();
  readonly #leaks = new FinalizationRegistry<number>((capacity) => this.#reclaimLeak(capacity));
  #watchingForeignReleases = false;
  #watchingContention = false;
  #usedBytes = 0;
  #activeBuffers = 0;
  #peakBytes = 0;
  #acquisitions = 0;
  #allocations = 0;
  #releases = 0;
  #leakCount = 0;

  constructor(options: MemoryPoolOptions) {
    this.#budget = 'budget' in options ? options.budget : new PrivateByteBudget(options.maxBytes);
    this.maxBytes = this.#budget.maxBytes;
    this.#maxCachedBytes = options.maxCachedBytes ?? this.maxBytes;
    this.#minBufferBytes = options.minBufferBytes ?? DEFAULT_MIN_BUFFER_BYTES;
    requireCount('maxBytes', this.maxBytes, 1);
    requireCount('maxCachedBytes', this.#maxCachedBytes, 0);
    requireCount('minBufferBytes', this.#minBufferBytes, 1);
    if (this.#minBufferBytes > this.maxBytes) throw new RangeError('minBufferBytes must not exceed maxBytes');
  }

  /**
   * Leases a buffer of `size` bytes, waiting behind earlier callers while the budget is exhausted.
   * Rejects with LeaseTooLargeError at once when `size` can never fit, AcquireTimeoutError after
   * `timeoutMs`, AcquireAbortedError when `signal` fires.
   */
  async acquire(size: number, options: AcquireOptions = {}): Promise<BufferLease> {
    requireCount('size', size, 0);
    if (options.timeoutMs !== undefined) requireCount('timeoutMs', options.timeoutMs, 0);
    const capacity = capacityFor(size, this.#minBufferBytes, this.maxBytes);
    if (capacity > this.maxBytes) throw new LeaseTooLargeError(size, this.maxBytes);
    if (options.signal?.aborted) throw new AcquireAbortedError(size, options.signal.reason);
    const immediate = this.#waiters.size === 0 ? this.#tryLease(size, capacity) : undefined;
    if (immediate) return immediate;
    const pending = new PendingAcquire(size, capacity, options, (gaveUp) => this.#forgetWaiter(gaveUp));
    this.#waiters.add(pending);
    void this.#watchForeignReleases();
    return pending.promise;
  }

  /** Runs `fn` with a leased buffer and releases it however `fn` ends. */
  async withLease<T>(
    size: number,
    fn: (lease: BufferLease) => T | Promise<T>,
    options?: AcquireOptions,
  ): Promise<T> {
    await using lease = await this.acquire(size, options);
    return await fn(lease);
  }

  /** Drops every cached buffer (e.g. under memory pressure); returns the bytes given back. */
  trim(): number {
    const freed = this.#cache.evict(this.#cache.bytes);
    this.#budget.release(freed);
    return freed;
  }

  stats(): MemoryPoolStats {
    const reuses = this.#acquisitions - this.#allocations;
    return {
      activeBuffers: this.#activeBuffers,
      freeBuffers: this.#cache.bufferCount,
      usedBytes: this.#usedBytes,
      cachedBytes: this.#cache.bytes,
      maxBytes: this.maxBytes,
      peakBytes: this.#peakBytes,
      acquisitions: this.#acquisitions,
      allocations: this.#allocations,
      releases: this.#releases,
      reuseRate: this.#acquisitions === 0 ? 0 : reuses / this.#acquisitions,
      leakCount: this.#leakCount,
      waiters: this.#waiters.size,
    };
  }

  /** Handed to every lease (never public, so nothing else can return a buffer). */
  readonly #takeBack = (lease: BufferLease, backing: Buffer): void => {
    this.#leaks.unregister(lease);
    this.#releases += 1;
    this.#forgetLease(backing.length);
    const cacheable = this.#cache.bytes + backing.length <= this.#maxCachedBytes && !this.#budget.contended;
    if (cacheable) {
      this.#cache.put(backing);
      void this.#trimWhenContended();
    } else {
      this.#budget.release(backing.length);
    }
    this.#serveWaiters();
  };

  #tryLease(size: number, capacity: number): BufferLease | undefined {
    let backing = this.#cache.take(capacity);
    if (backing === undefined) {
      if (!this.#reserve(capacity)) return undefined;
      // Slow (unpooled) allocation: each buffer owns its ArrayBuffer, so a leak can be observed.
      backing = Buffer.allocUnsafeSlow(capacity);
      this.#allocations += 1;
    }
    this.#acquisitions += 1;
    this.#activeBuffers += 1;
    this.#usedBytes += capacity;
    this.#peakBytes = Math.max(this.#peakBytes, this.#usedBytes);
    const lease = new BufferLease(this.#takeBack, backing, size);
    // Watch the memory, not the lease object: it is only truly lost once no view of it is reachable.
    this.#leaks.register(backing.buffer, capacity, lease);
    return lease;
  }

  /** Reserves budget, first giving back cached buffers of other sizes if that makes room. */
  #reserve(capacity: number): boolean {
    if (this.#budget.tryReserve(capacity)) return true;
    const shortfall = this.#budget.reservedBytes + capacity - this.maxBytes;
    if (shortfall > this.#cache.bytes) return false;
    this.#budget.release(this.#cache.evict(shortfall));
    return this.#budget.tryReserve(capacity);
  }

  /** Grants waiting callers in arrival order; stops at the first that does not fit yet. */
  #serveWaiters(): void {
    for (const pending of this.#waiters) {
      const lease = this.#tryLease(pending.size, pending.capacity);
      if (lease === undefined) return;
      this.#waiters.delete(pending);
      pending.grant(lease);
    }
  }

  #forgetWaiter(pending: PendingAcquire): void {
    this.#waiters.delete(pending);
    // The head leaving may unblock those behind it.
    this.#serveWaiters();
  }

  #forgetLease(capacity: number): void {
    this.#activeBuffers -= 1;
    this.#usedBytes -= capacity;
  }

  #reclaimLeak(capacity: number): void {
    this.#leakCount += 1;
    this.#forgetLease(capacity);
    this.#budget.release(capacity);
    this.#serveWaiters();
  }

  /** With a shared budget, bytes freed on other threads must wake this thread's queue. */
  async #watchForeignReleases(): Promise<void> {
    const waitForForeignRelease = this.#budget.waitForForeignRelease?.bind(this.#budget);
    if (waitForForeignRelease === undefined || this.#watchingForeignReleases) return;
    this.#watchingForeignReleases = true;
    try {
      while (this.#waiters.size > 0) {
        await waitForForeignRelease(FOREIGN_RELEASE_POLL_MS);
        this.#serveWaiters();
      }
    } finally {
      this.#watchingForeignReleases = false;
    }
  }

  /**
   * With a shared budget, a cache left on an idle thread would starve pools on other threads,
   * so it is dropped as soon as any pool waits for bytes.
   */
  async #trimWhenContended(): Promise<void> {
    const waitForContention = this.#budget.waitForContention?.bind(this.#budget);
    if (waitForContention === undefined || this.#watchingContention) return;
    this.#watchingContention = true;
    try {
      while (this.#cache.bytes > 0) {
        await waitForContention();
        this.trim();
      }
    } finally {
      this.#watchingContention = false;
    }
  }
}

function requireCount(name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer >= ${min}, got ${value}`);
  }
}
