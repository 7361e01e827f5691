import { sentenceStarts } from '../strategies/sentence.ts';
import type { Chunk } from '../types.ts';
import { totalLength, unionRanges } from './ranges.ts';

export interface SizeStats {
  mean: number;
  min: number;
  max: number;
  /** Population variance. */
  variance: number;
}

export interface ChunkMetrics {
  chunkCount: number;
  chars: SizeStats;
  tokens: SizeStats;
  /** Fraction of chunks whose end falls on a sentence boundary (paragraph ends and the text end count). */
  sentenceBoundaryRatio: number;
  /** Fraction of chunks whose end falls on a paragraph boundary (a blank line) or the text end. */
  paragraphBoundaryRatio: number;
  /** Fraction of chunk characters that repeat characters already in another chunk (0 = no overlap). */
  overlapRatio: number;
  /** Fraction of the text's non-whitespace characters that lie in some chunk. */
  coverage: number;
}

type MeasuredChunk = Pick<Chunk, 'startOffset' | 'endOffset' | 'charCount' | 'tokenCount'>;

function sizeStats(values: readonly number[]): SizeStats {
  if (values.length === 0) return { mean: 0, min: 0, max: 0, variance: 0 };
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const value of values) {
    sum += value;
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  const mean = sum / values.length;
  let squares = 0;
  for (const value of values) squares += (value - mean) ** 2;
  return { mean, min, max, variance: squares / values.length };
}

const whitespace = /\s/u;
const blankLine = /\n[^\S\n]*\n/;

/** The whitespace run around `offset`: a boundary is judged by what separates the two sides. */
function whitespaceAround(text: string, offset: number): { before: number; after: number } {
  let before = offset;
  while (before > 0 && whitespace.test(text[before - 1] as string)) before--;
  let after = offset;
  while (after < text.length && whitespace.test(text[after] as string)) after++;
  return { before, after };
}

function nonWhitespaceCount(text: string, start: number, end: number): number {
  let count = 0;
  for (let i = start; i < end; i++) if (!whitespace.test(text[i] as string)) count++;
  return count;
}

/** Size, boundary and overlap metrics of one chunking of `text`, for previews and comparisons. */
export function computeMetrics(text: string, chunks: readonly MeasuredChunk[]): ChunkMetrics {
  const starts = new Set(sentenceStarts(text));
  let sentenceEnds = 0;
  let paragraphEnds = 0;
  for (const chunk of chunks) {
    const { before, after } = whitespaceAround(text, chunk.endOffset);
    const paragraph = after === text.length || blankLine.test(text.slice(before, after));
    if (paragraph) paragraphEnds++;
    if (paragraph || starts.has(after)) sentenceEnds++;
  }

  const ranges = chunks.map((chunk) => ({ start: chunk.startOffset, end: chunk.endOffset }));
  const cover = unionRanges(ranges);
  const chunkChars = totalLength(ranges);
  let covered = 0;
  for (const range of cover) covered += nonWhitespaceCount(text, range.start, range.end);
  const visible = nonWhitespaceCount(text, 0, text.length);
  const ratio = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);

  return {
    chunkCount: chunks.length,
    chars: sizeStats(chunks.map((chunk) => chunk.charCount)),
    tokens: sizeStats(chunks.map((chunk) => chunk.tokenCount)),
    sentenceBoundaryRatio: ratio(sentenceEnds, chunks.length),
    paragraphBoundaryRatio: ratio(paragraphEnds, chunks.length),
    overlapRatio: ratio(chunkChars - totalLength(cover), chunkChars),
    coverage: visible === 0 ? 1 : covered / visible,
  };
}
