/** A heading of a document: its level (1–6), its words, and the offset where its line starts. */
export interface OutlineHeading {
  level: number;
  text: string;
  offset: number;
}

/** Index of the last value ≤ target in an ascending list (-1 when none is). */
export function lastAtOrBefore<T>(values: readonly T[], target: number, keyOf: (value: T) => number): number {
  let low = 0;
  let high = values.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    if (keyOf(values[middle] as T) <= target) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

/**
 * A document's headings (a converted file's, found once at upload), answering the heading path
 * enclosing any offset. Paths are computed once per heading, so each lookup is a binary search:
 * the same path feeds a chunk's `metadata.headings` and its embedText header.
 */
export class HeadingOutline {
  readonly #headings: readonly OutlineHeading[];
  readonly #paths: string[][];

  /** `headings` ascending by offset. */
  constructor(headings: readonly OutlineHeading[]) {
    this.#headings = headings;
    const stack: OutlineHeading[] = [];
    this.#paths = headings.map((heading) => {
      while ((stack.at(-1)?.level ?? 0) >= heading.level) stack.pop();
      stack.push(heading);
      return stack.map((entry) => entry.text);
    });
  }

  /** The headings enclosing `offset`, outermost first (empty before the first heading). */
  pathAt(offset: number): string[] {
    const index = lastAtOrBefore(this.#headings, offset, (heading) => heading.offset);
    return index < 0 ? [] : [...(this.#paths[index] as string[])];
  }

  get isEmpty(): boolean {
    return this.#headings.length === 0;
  }
}
