import { startsSentence } from '../strategies/sentence.ts';
import { isWhitespace, skipWhitespace, trimWhitespaceEnd } from '../text/code-units.ts';
import type { Chunk, EmbeddableChunk } from '../types.ts';
import { type CharRange, totalLength, unionRanges } from './ranges.ts';

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
  /** Sizes of each chunk's embedText (context header + content); the content's when it has none. */
  embedChars: SizeStats;
  embedTokens: SizeStats;
  /** Fraction of chunks whose end falls on a sentence boundary (paragraph ends and the text end count). */
  sentenceBoundaryRatio: number;
  /** Fraction of chunks whose end falls on a paragraph boundary (a blank line) or the text end. */
  paragraphBoundaryRatio: number;
  /** Fraction of chunk characters that repeat characters already in another chunk (0 = no overlap). */
  overlapRatio: number;
  /** Fraction of the text's non-whitespace characters that lie in some chunk. */
  coverage: number;
}

type MeasuredChunk = Pick<Chunk, 'startOffset' | 'endOffset' | 'charCount' | 'tokenCount'> &
  Partial<Pick<EmbeddableChunk, 'embedText' | 'embedTokenCount'>>;

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

const blankLine = /\n[^\S\n]*\n/;

/** The whitespace run around `offset`: a boundary is judged by what separates the two sides. */
function whitespaceAround(text: string, offset: number): { before: number; after: number } {
  return { before: trimWhitespaceEnd(text, 0, offset), after: skipWhitespace(text, offset, text.length) };
}

function nonWhitespaceCount(text: string, start: number, end: number): number {
  let count = 0;
  for (let i = start; i < end; i++) if (!isWhitespace(text.charCodeAt(i))) count++;
  return count;
}

/** Non-whitespace characters outside a sorted, disjoint cover: the (usually tiny) gaps only. */
function uncoveredNonWhitespace(text: string, cover: readonly CharRange[]): number {
  let uncovered = 0;
  let from = 0;
  for (const range of cover) {
    uncovered += nonWhitespaceCount(text, from, range.start);
    from = range.end;
  }
  return uncovered + nonWhitespaceCount(text, from, text.length);
}

/** Size, boundary and overlap metrics of one chunking of `text`, for previews and comparisons. */
export function computeMetrics(text: string, chunks: readonly MeasuredChunk[]): ChunkMetrics {
  let sentenceEnds = 0;
  let paragraphEnds = 0;
  for (const chunk of chunks) {
    const { before, after } = whitespaceAround(text, chunk.endOffset);
    const paragraph = after === text.length || blankLine.test(text.slice(before, after));
    if (paragraph) paragraphEnds++;
    // Only the lines where chunks end are segmented, not the whole text.
    if (paragraph || startsSentence(text, after)) sentenceEnds++;
  }

  const ranges = chunks.map((chunk) => ({ start: chunk.startOffset, end: chunk.endOffset }));
  const cover = unionRanges(ranges);
  const chunkChars = totalLength(ranges);
  const visible = nonWhitespaceCount(text, 0, text.length);
  const covered = visible - uncoveredNonWhitespace(text, cover);
  const ratio = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);

  return {
    chunkCount: chunks.length,
    chars: sizeStats(chunks.map((chunk) => chunk.charCount)),
    tokens: sizeStats(chunks.map((chunk) => chunk.tokenCount)),
    embedChars: sizeStats(chunks.map((chunk) => chunk.embedText?.length ?? chunk.charCount)),
    embedTokens: sizeStats(chunks.map((chunk) => chunk.embedTokenCount ?? chunk.tokenCount)),
    sentenceBoundaryRatio: ratio(sentenceEnds, chunks.length),
    paragraphBoundaryRatio: ratio(paragraphEnds, chunks.length),
    overlapRatio: ratio(chunkChars - totalLength(cover), chunkChars),
    coverage: visible === 0 ? 1 : covered / visible,
  };
}
