/** An append-only Int32Array that doubles when full: compact and cache-friendly for offsets. */
export class IntList {
  #items: Int32Array;
  length = 0;

  constructor(initialCapacity: number) {
    this.#items = new Int32Array(Math.max(16, initialCapacity));
  }

  push(value: number): void {
    if (this.length === this.#items.length) {
      const grown = new Int32Array(this.#items.length * 2);
      grown.set(this.#items);
      this.#items = grown;
    }
    this.#items[this.length++] = value;
  }

  /** The filled part, without copying. */
  view(): Int32Array {
    return this.#items.subarray(0, this.length);
  }
}

/** Index of the last element ≤ value in an ascending array, or -1. */
export function lastAtOrBelow(sorted: Int32Array, value: number): number {
  let low = 0;
  let high = sorted.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] as number) <= value) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  return found;
}

/** Index of the first element ≥ value in an ascending array, or the array length. */
export function firstAtOrAbove(sorted: Int32Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] as number) < value) low = mid + 1;
    else high = mid;
  }
  return low;
}
