import type { CommonConfig, Sizer, Span } from '../strategy.ts';
import type { ChunkMetadata } from '../types.ts';

/** The heading path of two merged pieces: the longer when one extends the other, else what they share. */
function mergedHeadings(first: string[], second: string[]): string[] {
  let shared = 0;
  while (shared < first.length && shared < second.length && first[shared] === second[shared]) shared++;
  if (shared === first.length) return second;
  if (shared === second.length) return first;
  return first.slice(0, shared);
}

function mergedMetadata(first: ChunkMetadata | undefined, second: ChunkMetadata | undefined) {
  if (first === undefined || second === undefined) return first ?? second;
  const metadata: ChunkMetadata = { ...first, ...second };
  if (Array.isArray(first.headings) && Array.isArray(second.headings)) {
    metadata.headings = mergedHeadings(first.headings, second.headings);
  }
  return metadata;
}

/**
 * `minChunkSize`: joins each piece smaller than it with a neighbour (the one before when that has
 * room, else the one after), as long as the joined range still fits `chunkSize`. A joined piece is
 * the exact range from the first's start to the second's end, so offsets stay exact and overlap
 * with the outer neighbours unchanged. Nested output (hierarchical: pieces point at parents by
 * index) is left as it is. One pass, one size query per piece.
 */
export function mergeSmallSpans(spans: Span[], sizer: Sizer, config: CommonConfig): Span[] {
  const { minChunkSize = 0, chunkSize } = config;
  if (minChunkSize <= 0 || spans.length < 2) return spans;
  if (spans.some((span) => span.metadata?.parentIndex !== undefined)) return spans;
  const merged: Span[] = [];
  let lastSize = 0;
  for (const span of spans) {
    const last = merged[merged.length - 1];
    const size = sizer.measure(span.start, span.end);
    if (last !== undefined && (size < minChunkSize || lastSize < minChunkSize)) {
      const end = Math.max(last.end, span.end);
      const joinedSize = sizer.measure(last.start, end);
      if (joinedSize <= chunkSize) {
        const metadata = mergedMetadata(last.metadata, span.metadata);
        merged[merged.length - 1] = { start: last.start, end, ...(metadata ? { metadata } : {}) };
        lastSize = joinedSize;
        continue;
      }
    }
    merged.push(span);
    lastSize = size;
  }
  return merged;
}
