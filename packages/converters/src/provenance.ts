import type { Heading, Provenance } from './types.ts';

/** Index of the last value ≤ target in an ascending list (-1 when none is). */
function lastAtOrBefore<T>(values: readonly T[], target: number, keyOf: (value: T) => number): number {
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

/** The 1-based page holding the character at `offset`. */
export function pageAt(pageStarts: readonly number[], offset: number): number {
  return Math.max(1, lastAtOrBefore(pageStarts, offset, (start) => start) + 1);
}

/** First and last page (1-based, inclusive) of the text between two offsets. */
export function pagesOf(
  pageStarts: readonly number[],
  startOffset: number,
  endOffset: number,
): [number, number] {
  const last = Math.max(startOffset, endOffset - 1);
  return [pageAt(pageStarts, startOffset), pageAt(pageStarts, last)];
}

/**
 * Looks up where chunks came from. Heading paths are computed once per heading, so each chunk
 * costs two binary searches.
 */
export class ProvenanceIndex {
  readonly #pageStarts: readonly number[] | undefined;
  readonly #headings: readonly Heading[];
  readonly #paths: string[][];

  constructor(provenance: Provenance) {
    this.#pageStarts = provenance.pageStarts;
    this.#headings = provenance.headings;
    this.#paths = headingPaths(provenance.headings);
  }

  /** Pages of the range, for paged documents. */
  pages(startOffset: number, endOffset: number): [number, number] | undefined {
    return this.#pageStarts && pagesOf(this.#pageStarts, startOffset, endOffset);
  }

  /** The headings enclosing `offset`, outermost first (empty before the first heading). */
  headingPath(offset: number): string[] {
    const index = lastAtOrBefore(this.#headings, offset, (heading) => heading.offset);
    return index < 0 ? [] : [...(this.#paths[index] as string[])];
  }

  get hasHeadings(): boolean {
    return this.#headings.length > 0;
  }
}

function headingPaths(headings: readonly Heading[]): string[][] {
  const stack: Heading[] = [];
  return headings.map((heading) => {
    while ((stack.at(-1)?.level ?? 0) >= heading.level) stack.pop();
    stack.push(heading);
    return stack.map((entry) => entry.text);
  });
}
