import type { Sizer, Span } from '../strategy.ts';

/** Index of the first cut strictly greater than `position` (cuts ascending). */
function firstCutAfter(cuts: readonly number[], position: number): number {
  let low = 0;
  let high = cuts.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((cuts[mid] as number) <= position) low = mid + 1;
    else high = mid;
  }
  return low;
}

const isSpace = (char: string | undefined) => char === ' ' || char === '\t' || char === '\n' || char === '\r';

/** Drops blank lines before a chunk (keeping its first line's indentation) and whitespace after it. */
function trimSpan(text: string, start: number, end: number): [number, number] {
  let lineStart = start;
  let i = start;
  while (i < end && isSpace(text[i])) {
    if (text[i] === '\n') lineStart = i + 1;
    i++;
  }
  let trimmedEnd = end;
  while (trimmedEnd > i && isSpace(text[trimmedEnd - 1])) trimmedEnd--;
  return [i === end ? end : lineStart, trimmedEnd];
}

/**
 * Packs the pieces between `cuts` into spans of at most `maxSize`: greedily whole pieces; a piece
 * that alone is too big is cut where the sizer says it must be. Each span after the first starts
 * with the longest run of whole trailing pieces of its predecessor that fits `overlap`, when the
 * span can still take at least one new piece after it.
 */
export function packPieces(
  text: string,
  cuts: readonly number[],
  sizer: Sizer,
  maxSize: number,
  overlap: number,
): Span[] {
  const bounds = [...cuts, text.length];
  const spans: Span[] = [];
  let start = 0;
  while (start < text.length) {
    let next = firstCutAfter(bounds, start);
    let end = bounds[next] as number;
    if (sizer.measure(start, end) > maxSize) {
      end = sizer.fitEnd(start, end, maxSize);
    } else {
      while (next + 1 < bounds.length && sizer.measure(start, bounds[next + 1] as number) <= maxSize) next++;
      end = bounds[next] as number;
    }
    const [from, to] = trimSpan(text, start, end);
    if (to > from) spans.push({ start: from, end: to });
    start = overlap > 0 ? overlapStart(bounds, sizer, start, end, maxSize, overlap) : end;
  }
  return spans;
}

function overlapStart(
  bounds: readonly number[],
  sizer: Sizer,
  previousStart: number,
  previousEnd: number,
  maxSize: number,
  overlap: number,
): number {
  const after = bounds[firstCutAfter(bounds, previousEnd)];
  if (after === undefined) return previousEnd;
  let chosen = previousEnd;
  for (let i = firstCutAfter(bounds, previousStart); (bounds[i] as number) < previousEnd; i++) {
    const candidate = bounds[i] as number;
    if (sizer.measure(candidate, previousEnd) <= overlap && sizer.measure(candidate, after) <= maxSize) {
      chosen = candidate;
      break;
    }
  }
  return chosen;
}
