import { fenceMarker } from '../text/fence.ts';

interface FenceLine {
  start: number;
  end: number;
  marker: number;
}

function fenceLines(text: string): FenceLine[] {
  const lines: FenceLine[] = [];
  for (let start = 0; ; ) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    const marker = fenceMarker(text, start, end);
    if (marker !== undefined) lines.push({ start, end, marker });
    if (newline < 0) return lines;
    start = newline + 1;
  }
}

/**
 * `text` without its closed fenced code blocks: from a fence line to the next line that opens
 * with the same marker, both included (the line break after the closing line stays). A fence
 * never closed is kept. One pass over the lines, where a regex with a lazy body backtracked.
 */
export function withoutFencedBlocks(text: string): string {
  const fences = fenceLines(text);
  if (fences.length < 2) return text;
  // nextSame[i]: the next fence line with the marker of line i.
  const nextSame = new Array<number>(fences.length).fill(-1);
  const lastSeen = new Map<number, number>();
  for (let i = fences.length - 1; i >= 0; i--) {
    const { marker } = fences[i] as FenceLine;
    nextSame[i] = lastSeen.get(marker) ?? -1;
    lastSeen.set(marker, i);
  }
  let kept = '';
  let from = 0;
  for (let i = 0; i < fences.length; i++) {
    const close = nextSame[i] as number;
    if (close < 0) continue;
    kept += text.slice(from, (fences[i] as FenceLine).start);
    from = (fences[close] as FenceLine).end;
    i = close;
  }
  return kept + text.slice(from);
}
