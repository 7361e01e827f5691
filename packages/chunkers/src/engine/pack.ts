import type { Sizer, Span, SpanMeter } from '../strategy.ts';
import { nextCodePoint, skipWhitespace, trimWhitespaceEnd } from '../text/code-units.ts';
import type { BoundarySet } from './boundaries.ts';

export interface PackOptions {
  chunkSize: number;
  chunkOverlap: number;
  /** Boundary kinds, most preferred first; below the last, chunks are cut anywhere that fits. */
  levels: readonly BoundarySet[];
  /** How many of `levels` (from the first) may start an overlap; 0 = no overlap. */
  overlapLevels: number;
  /** Drop whitespace at chunk edges (and whitespace-only chunks). Off, spans tile the range exactly. */
  trim: boolean;
  /** Told about each span as it is made (the output budget, the abort signal). */
  meter?: SpanMeter | undefined;
}

/**
 * Greedy packing on offsets: each chunk runs from its start to the furthest boundary of the most
 * preferred kind that still fits `chunkSize`, so pieces are merged up to the size without ever
 * materialising them. The next chunk starts at the earliest boundary (of the kinds allowed for
 * overlap) that keeps the shared part within `chunkOverlap`: overlap is made of whole pieces.
 */
export function packRange(
  text: string,
  sizer: Sizer,
  from: number,
  to: number,
  options: PackOptions,
): Span[] {
  const { chunkSize, levels, trim, meter } = options;
  const spans: Span[] = [];
  let start = from;
  let previousEnd = from;
  while (start < to) {
    if (trim) {
      start = skipWhitespace(text, start, to);
      if (start >= to) break;
    }
    const limit = sizer.fitEnd(start, to, chunkSize);
    let end = limit;
    if (limit < to) {
      for (const level of levels) {
        // The last boundary of the kind; it must also pass the previous chunk's end, or the
        // chunk would sit inside its predecessor.
        const boundary = level.lastIn(start, limit);
        if (boundary > previousEnd) {
          end = boundary;
          break;
        }
      }
    }
    let spanEnd = trim ? trimWhitespaceEnd(text, start, end) : end;
    // BPE is not monotone: dropping trailing whitespace can add a token (`")\n` is one token,
    // `")` two). Shrink until the trimmed span fits; the rest goes to the next chunk.
    while (trim && sizer.measure(start, spanEnd) > chunkSize) {
      spanEnd = trimWhitespaceEnd(text, start, sizer.fitEnd(start, spanEnd, chunkSize));
      end = spanEnd;
    }
    meter?.count(start, spanEnd);
    spans.push({ start, end: spanEnd });
    if (end >= to) break;
    previousEnd = end;
    start = nextStart(text, sizer, start, spanEnd, options) ?? end;
  }
  return spans;
}

/**
 * An overlapping start for the chunk after [start, spanEnd): the earliest boundary, of the most
 * preferred kind that has one, whose shared part fits `chunkOverlap`. Undefined: no overlap.
 */
function nextStart(
  text: string,
  sizer: Sizer,
  start: number,
  spanEnd: number,
  { chunkOverlap, levels, overlapLevels, trim }: PackOptions,
): number | undefined {
  if (chunkOverlap === 0 || overlapLevels === 0) return undefined;
  const earliest = sizer.fitStart(spanEnd, nextCodePoint(text, start), chunkOverlap);
  for (let level = 0; level < overlapLevels; level++) {
    const boundary = (levels[level] as BoundarySet).firstIn(earliest, spanEnd);
    if (boundary <= start) continue;
    const overlapStart = trim ? skipWhitespace(text, boundary, spanEnd) : boundary;
    // Token counts are not monotone under trimming: re-check the part actually shared.
    if (overlapStart < spanEnd && sizer.measure(overlapStart, spanEnd) <= chunkOverlap) return boundary;
  }
  return undefined;
}
