import { firstAtOrAbove, lastAtOrBelow } from '../sizing/int-list.ts';

/**
 * Candidate cut offsets of one kind (paragraph ends, sentence starts, …). Queries come with a
 * non-decreasing lower bound (the packer moves forward), which lets lazy sets forget the past.
 */
export interface BoundarySet {
  /** Last boundary b with after < b ≤ atMost, or -1. */
  lastIn(after: number, atMost: number): number;
  /** First boundary b with atLeast ≤ b < before, or -1. */
  firstIn(atLeast: number, before: number): number;
}

/** Boundaries known up front, ascending. */
export class SortedBoundaries implements BoundarySet {
  constructor(private readonly offsets: Int32Array) {}

  lastIn(after: number, atMost: number): number {
    const found = this.offsets[lastAtOrBelow(this.offsets, atMost)];
    return found !== undefined && found > after ? found : -1;
  }

  firstIn(atLeast: number, before: number): number {
    const found = this.offsets[firstAtOrAbove(this.offsets, atLeast)];
    return found !== undefined && found < before ? found : -1;
  }
}

/**
 * The offsets just after each occurrence of a literal separator, found with `indexOf` as the
 * packer advances: each part of the text is scanned at most once per separator, and a separator
 * absent from a region costs one scan, not one per chunk.
 */
export class SeparatorBoundaries implements BoundarySet {
  readonly #text: string;
  readonly #separator: string;
  /** Known boundaries from `#head` on, ascending; every boundary in [first known, #scannedTo] is here. */
  #found: number[] = [];
  #head = 0;
  #scannedTo = -1;
  #searchFrom = 0;

  constructor(text: string, separator: string) {
    if (separator.length === 0) throw new RangeError('A separator cannot be empty');
    this.#text = text;
    this.#separator = separator;
  }

  lastIn(after: number, atMost: number): number {
    this.#cover(after + 1, atMost);
    let low = this.#head;
    let high = this.#found.length - 1;
    let result = -1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const offset = this.#found[mid] as number;
      if (offset <= atMost) {
        result = offset;
        low = mid + 1;
      } else high = mid - 1;
    }
    return result > after ? result : -1;
  }

  firstIn(atLeast: number, before: number): number {
    this.#cover(atLeast, before);
    let low = this.#head;
    let high = this.#found.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.#found[mid] as number) < atLeast) low = mid + 1;
      else high = mid;
    }
    const offset = this.#found[low];
    return offset !== undefined && offset < before ? offset : -1;
  }

  /** Makes every boundary in [from, to] known, forgetting those before `from`. */
  #cover(from: number, to: number): void {
    if (this.#scannedTo < from) {
      // Nothing known reaches `from`: jump there instead of scanning the gap.
      this.#found = [];
      this.#head = 0;
      this.#searchFrom = Math.max(this.#searchFrom, from - this.#separator.length);
    } else {
      this.#dropBefore(from);
    }
    while (this.#scannedTo < to) {
      const at = this.#text.indexOf(this.#separator, this.#searchFrom);
      if (at < 0) {
        this.#scannedTo = Number.POSITIVE_INFINITY;
        return;
      }
      const boundary = at + this.#separator.length;
      this.#found.push(boundary);
      this.#scannedTo = boundary;
      this.#searchFrom = at + 1;
    }
  }

  #dropBefore(from: number): void {
    while (this.#head < this.#found.length && (this.#found[this.#head] as number) < from) this.#head++;
    if (this.#head > 256 && this.#head * 2 > this.#found.length) {
      this.#found = this.#found.slice(this.#head);
      this.#head = 0;
    }
  }
}
