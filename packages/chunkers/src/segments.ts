import { splitsSurrogatePair } from './text/code-units.ts';
import { fenceMarker } from './text/fence.ts';

/**
 * Documents are chunked in segments of about SEGMENT_CHARS, cut at a position that depends only
 * on the text inside [from, from + SEGMENT_CHARS + SEGMENT_SLACK]. `chunk()` and `chunkStream()`
 * share the cuts, so a stream holding one segment at a time yields exactly what `chunk()` gives
 * for the whole text. No chunk spans a cut (one extra boundary per ~1 M characters).
 */
export const SEGMENT_CHARS = 1 << 20;
export const SEGMENT_SLACK = 1 << 16;
/** A segment never holds more than this many code units. */
export const MAX_SEGMENT_CHARS = SEGMENT_CHARS + SEGMENT_SLACK;

function isBlankLine(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code !== 0x20 && code !== 0x09 && code !== 0x0d) return false;
  }
  return true;
}

/**
 * End of the segment starting at `from`: the text end when it is within MAX_SEGMENT_CHARS; else,
 * from SEGMENT_CHARS on, preferably the start of a paragraph (a line after a blank line, outside
 * code fences), else of any line outside a fence, of any line, after any space, or the hard limit.
 * `text` must extend past `from + MAX_SEGMENT_CHARS` unless it is the whole rest of the document.
 */
export function segmentEnd(text: string, from: number): number {
  if (text.length <= from + MAX_SEGMENT_CHARS) return text.length;
  // Searches stay inside the window, so a text without the separator costs one window, not the rest.
  const window = text.slice(from, from + MAX_SEGMENT_CHARS);
  const end = (cut: number) => from + cut;
  let inFence = false;
  let anyLine = -1;
  let lineOutsideFence = -1;
  let start = 0;
  for (let newline = window.indexOf('\n'); newline >= 0; newline = window.indexOf('\n', start)) {
    if (fenceMarker(window, start, newline) !== undefined) inFence = !inFence;
    const lineStart = newline + 1;
    if (lineStart >= SEGMENT_CHARS && lineStart < window.length) {
      const blank = isBlankLine(window, start, newline);
      if (anyLine < 0) anyLine = lineStart;
      if (!inFence && lineOutsideFence < 0) lineOutsideFence = lineStart;
      const nextNewline = window.indexOf('\n', lineStart);
      const lineEnd = nextNewline < 0 ? window.length : nextNewline;
      if (!inFence && blank && !isBlankLine(window, lineStart, lineEnd)) return end(lineStart);
    }
    start = lineStart;
  }
  if (lineOutsideFence >= 0) return end(lineOutsideFence);
  if (anyLine >= 0) return end(anyLine);
  const space = window.indexOf(' ', SEGMENT_CHARS);
  if (space >= 0 && space + 1 < window.length) return end(space + 1);
  return splitsSurrogatePair(text, from + MAX_SEGMENT_CHARS)
    ? end(MAX_SEGMENT_CHARS - 1)
    : end(MAX_SEGMENT_CHARS);
}
