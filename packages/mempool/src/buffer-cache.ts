/**
 * Released buffers waiting for reuse, grouped by capacity. It only stores and counts; the pool
 * decides what may be cached and charges the bytes to its budget.
 */
export class BufferCache {
  readonly #byCapacity = new Map<number, Buffer[]>();
  #bufferCount = 0;
  #bytes = 0;

  get bufferCount(): number {
    return this.#bufferCount;
  }

  get bytes(): number {
    return this.#bytes;
  }

  put(buffer: Buffer): void {
    const shelf = this.#byCapacity.get(buffer.length);
    if (shelf) shelf.push(buffer);
    else this.#byCapacity.set(buffer.length, [buffer]);
    this.#bufferCount += 1;
    this.#bytes += buffer.length;
  }

  take(capacity: number): Buffer | undefined {
    const buffer = this.#byCapacity.get(capacity)?.pop();
    if (buffer) this.#forget(buffer);
    return buffer;
  }

  /** Drops cached buffers, largest first (fewest drops), until at least `bytes` are freed. */
  evict(bytes: number): number {
    let freed = 0;
    const capacities = [...this.#byCapacity.keys()].sort((a, b) => b - a);
    for (const capacity of capacities) {
      while (freed < bytes) {
        const buffer = this.take(capacity);
        if (!buffer) break;
        freed += buffer.length;
      }
      if (freed >= bytes) break;
    }
    return freed;
  }

  #forget(buffer: Buffer): void {
    this.#bufferCount -= 1;
    this.#bytes -= buffer.length;
    if (this.#byCapacity.get(buffer.length)?.length === 0) this.#byCapacity.delete(buffer.length);
  }
}
