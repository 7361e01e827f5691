import { HeadingOutline, lastAtOrBefore } from '@chunkflow/chunkers';
import type { Provenance } from './types.ts';

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
  readonly #outline: HeadingOutline;

  constructor(provenance: Provenance) {
    this.#pageStarts = provenance.pageStarts;
    this.#outline = new HeadingOutline(provenance.headings);
  }

  /** Pages of the range, for paged documents. */
  pages(startOffset: number, endOffset: number): [number, number] | undefined {
    return this.#pageStarts && pagesOf(this.#pageStarts, startOffset, endOffset);
  }

  /** The headings enclosing `offset`, outermost first (empty before the first heading). */
  headingPath(offset: number): string[] {
    return this.#outline.pathAt(offset);
  }

  get hasHeadings(): boolean {
    return !this.#outline.isEmpty;
  }
}
