import type { Sizer, Span } from '../strategy.ts';

/** Index of the first bound strictly greater than `position` (bounds ascending). */
function firstBoundAfter(bounds: readonly number[], position: number): number {
  let low = 0;
  let high = bounds.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((bounds[mid] as number) <= position) low = mid + 1;
    else high = mid;
  }
  return low;
}

const isSpace = (char: string | undefined) => char === ' ' || char === '\t' || char === '\n' || char === '\r';

/** Skips blank lines: the start of the first line with content (its indentation kept), or text.length. */
function contentStart(text: string, position: number): number {
  let lineStart = position;
  let i = position;
  while (i < text.length && isSpace(text[i])) {
    if (text[i] === '\n') lineStart = i + 1;
    i++;
  }
  return i === text.length ? i : lineStart;
}

/** `position` moved back over trailing whitespace, not below `floor`. */
function contentEnd(text: string, floor: number, position: number): number {
  let i = position;
  while (i > floor && isSpace(text[i - 1])) i--;
  return i;
}

/**
 * Packs the pieces between `cuts` into spans of at most `maxSize`: greedily whole pieces; a piece
 * that alone is too big is cut where the sizer says it must be. Spans shed blank lines before and
 * whitespace after; every size is measured on the final span (BPE counts are not monotone, so a
 * trimmed span is not assumed to fit because the untrimmed one did). Each span after the first
 * starts with the longest run of whole trailing pieces of its predecessor that fits `overlap`,
 * when the span can still take a new piece after it.
 */
export function packPieces(
  text: string,
  cuts: readonly number[],
  sizer: Sizer,
  maxSize: number,
  overlap: number,
): Span[] {
  const bounds = [...cuts, text.length];
  const fits = (start: number, bound: number, limit: number) =>
    sizer.measure(start, contentEnd(text, start, bound)) <= limit;
  const spans: Span[] = [];
  let start = contentStart(text, 0);
  while (start < text.length) {
    let next = firstBoundAfter(bounds, start);
    // Pieces that hold only whitespace from `start` on add nothing by themselves.
    while (contentEnd(text, start, bounds[next] as number) === start) next++;
    let end: number;
    if (fits(start, bounds[next] as number, maxSize)) {
      while (next + 1 < bounds.length && fits(start, bounds[next + 1] as number, maxSize)) next++;
      end = contentEnd(text, start, bounds[next] as number);
    } else {
      end = sizer.fitEnd(start, bounds[next] as number, maxSize);
    }
    spans.push({ start, end });
    const resume = contentStart(text, end);
    start =
      overlap > 0 ? overlapStart(text, bounds, sizer, { start, end }, resume, maxSize, overlap) : resume;
  }
  return spans;
}

function overlapStart(
  text: string,
  bounds: readonly number[],
  sizer: Sizer,
  previous: Span,
  resume: number,
  maxSize: number,
  overlap: number,
): number {
  const after = bounds[firstBoundAfter(bounds, resume)];
  if (resume >= text.length || after === undefined) return resume;
  const afterEnd = contentEnd(text, resume, after);
  for (let i = firstBoundAfter(bounds, previous.start); (bounds[i] as number) < previous.end; i++) {
    const candidate = contentStart(text, bounds[i] as number);
    if (
      candidate > previous.start &&
      candidate < previous.end &&
      sizer.measure(candidate, previous.end) <= overlap &&
      sizer.measure(candidate, afterEnd) <= maxSize
    ) {
      return candidate;
    }
  }
  return resume;
}
