/** The part of a chunk the view needs: where it lies in the document. */
export interface ChunkRange {
  startOffset: number;
  endOffset: number;
}

/**
 * A maximal run of the document covered by the same set of chunks. `chunks` holds positions in
 * the chunk array given to `segmentsOf`, ascending; empty for text no chunk covers (e.g. trimmed
 * whitespace), two or more where chunks overlap.
 */
export interface Segment {
  start: number;
  end: number;
  chunks: number[];
}

/**
 * Cuts `[0, textLength)` at every chunk boundary, so the view can render each run once (one text
 * node or span) however many chunks share it — overlaps cost no duplicated text.
 */
export function segmentsOf(textLength: number, chunks: readonly ChunkRange[]): Segment[] {
  const starting = new Map<number, number[]>();
  const ending = new Map<number, number[]>();
  const cuts = new Set<number>([0, textLength]);
  chunks.forEach((chunk, position) => {
    if (chunk.endOffset <= chunk.startOffset) return;
    pushTo(starting, chunk.startOffset, position);
    pushTo(ending, chunk.endOffset, position);
    cuts.add(chunk.startOffset).add(chunk.endOffset);
  });
  const ordered = [...cuts].filter((cut) => cut >= 0 && cut <= textLength).sort((a, b) => a - b);

  const segments: Segment[] = [];
  let active: number[] = [];
  for (let i = 0; i < ordered.length - 1; i++) {
    const start = ordered[i] as number;
    const end = ordered[i + 1] as number;
    const ended = ending.get(start);
    if (ended) active = active.filter((position) => !ended.includes(position));
    const started = starting.get(start);
    if (started) active = [...active, ...started].sort((a, b) => a - b);
    segments.push({ start, end, chunks: active });
  }
  return segments;
}

function pushTo(map: Map<number, number[]>, key: number, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Where to start a new block of the view: just after the first line break once a block holds
 * `blockChars`, so blocks can skip layout while off screen (content-visibility) and still read
 * as one text. A text without line breaks stays one block.
 */
export function blockStarts(text: string, blockChars: number): number[] {
  const starts: number[] = [];
  let from = blockChars;
  while (from < text.length) {
    const lineBreak = text.indexOf('\n', from - 1);
    if (lineBreak === -1 || lineBreak + 1 >= text.length) break;
    starts.push(lineBreak + 1);
    from = lineBreak + 1 + blockChars;
  }
  return starts;
}

/** Segments cut again at block starts, each piece tagged with the block it belongs to. */
export function piecesInBlocks(
  segments: readonly Segment[],
  starts: readonly number[],
): (Segment & { block: number })[] {
  const pieces: (Segment & { block: number })[] = [];
  let block = 0;
  for (const segment of segments) {
    let start = segment.start;
    while (start < segment.end) {
      while (start >= (starts[block] ?? Number.POSITIVE_INFINITY)) block += 1;
      const end = Math.min(starts[block] ?? segment.end, segment.end);
      pieces.push({ start, end, chunks: segment.chunks, block });
      start = end;
    }
  }
  return pieces;
}
