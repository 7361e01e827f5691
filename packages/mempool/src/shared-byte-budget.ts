/// <reference lib="es2024.sharedmemory" />
import type { ByteBudget } from './byte-budget.ts';

// Layout of the shared memory: two 64-bit counters, then two 32-bit words that threads wait on.
const RESERVED = 0;
const MAX = 1;
const RELEASE_EPOCH = 4;
const WAITING_THREADS = 5;
const STATE_BYTES = 24;

/**
 * A byte budget several threads draw on at once: the counters live in a SharedArrayBuffer and
 * change only through Atomics, so pools on different worker threads never overshoot `maxBytes`
 * together. Create it once, pass `state` to each worker (postMessage / workerData) and rebuild it
 * there with `SharedByteBudget.attach(state)`; give each thread's MemoryPool `{ budget }`.
 * Order is FIFO within a thread; across threads whoever reserves first after a release wins.
 * Give each pool its own instance (`attach` again on the same thread): an instance remembers the
 * release its pool last saw, so the pool sleeps only until the next one.
 */
export class SharedByteBudget implements ByteBudget {
  readonly state: SharedArrayBuffer;
  readonly maxBytes: number;
  readonly #counters: BigInt64Array;
  readonly #signals: Int32Array;
  /** The release epoch read before this thread's latest reservation attempt. */
  #epochSeen = 0;

  private constructor(state: SharedArrayBuffer) {
    this.state = state;
    this.#counters = new BigInt64Array(state, 0, 2);
    this.#signals = new Int32Array(state);
    this.maxBytes = Number(Atomics.load(this.#counters, MAX));
  }

  static create(maxBytes: number): SharedByteBudget {
    const state = new SharedArrayBuffer(STATE_BYTES);
    new BigInt64Array(state, 0, 2)[MAX] = BigInt(maxBytes);
    return new SharedByteBudget(state);
  }

  static attach(state: SharedArrayBuffer): SharedByteBudget {
    if (state.byteLength !== STATE_BYTES) throw new TypeError('Not the state of a SharedByteBudget');
    return new SharedByteBudget(state);
  }

  get reservedBytes(): number {
    return Number(Atomics.load(this.#counters, RESERVED));
  }

  get contended(): boolean {
    return Atomics.load(this.#signals, WAITING_THREADS) > 0;
  }

  tryReserve(bytes: number): boolean {
    this.#epochSeen = Atomics.load(this.#signals, RELEASE_EPOCH);
    const wanted = BigInt(bytes);
    const limit = BigInt(this.maxBytes);
    let current = Atomics.load(this.#counters, RESERVED);
    while (current + wanted <= limit) {
      const before = Atomics.compareExchange(this.#counters, RESERVED, current, current + wanted);
      if (before === current) return true;
      current = before;
    }
    return false;
  }

  release(bytes: number): void {
    Atomics.sub(this.#counters, RESERVED, BigInt(bytes));
    Atomics.add(this.#signals, RELEASE_EPOCH, 1);
    if (Atomics.load(this.#signals, WAITING_THREADS) > 0) Atomics.notify(this.#signals, RELEASE_EPOCH);
  }

  async waitForForeignRelease(maxWaitMs: number): Promise<void> {
    Atomics.add(this.#signals, WAITING_THREADS, 1);
    Atomics.notify(this.#signals, WAITING_THREADS);
    // Atomics.waitAsync does not keep the event loop alive; a thread waiting only for bytes must not exit.
    const keepAlive = setTimeout(() => {}, maxWaitMs + 1);
    try {
      const wait = Atomics.waitAsync(this.#signals, RELEASE_EPOCH, this.#epochSeen, maxWaitMs);
      if (wait.async) await wait.value;
    } finally {
      clearTimeout(keepAlive);
      Atomics.sub(this.#signals, WAITING_THREADS, 1);
    }
  }

  async waitForContention(): Promise<void> {
    // Does not keep the event loop alive, so an idle thread's pool can wait here indefinitely.
    const wait = Atomics.waitAsync(this.#signals, WAITING_THREADS, 0);
    if (wait.async) await wait.value;
  }
}
