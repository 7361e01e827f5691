// Before timing anything, check that it produced real chunks of this text.
import type { Output } from './peers.ts';

export interface Sanity {
  chunks: number;
  /** Share of chunks whose text occurs verbatim in the source, in order. */
  verbatim: number;
  /** Share of reported offsets with text.slice(start, end) === chunk text (when offsets are given). */
  exactOffsets?: number;
  sane: boolean;
  note?: string;
}

/** Finds each chunk at or after the previous one's start (chunks come in order; overlap allowed). */
function verbatimShare(text: string, texts: readonly string[]): number {
  let cursor = 0;
  let found = 0;
  for (const piece of texts) {
    let at = text.indexOf(piece, cursor);
    if (at < 0) at = text.indexOf(piece);
    if (at >= 0) {
      found++;
      cursor = at;
    }
  }
  return texts.length === 0 ? 0 : found / texts.length;
}

export function checkChunks(text: string, output: Output): Sanity {
  const chunks = output.texts.length;
  const verbatim = verbatimShare(text, output.texts);
  const exactOffsets = output.offsets
    ? output.offsets.filter(([start, end], i) => text.slice(start, end) === output.texts[i]).length / chunks
    : undefined;
  const covered = output.texts.reduce((sum, piece) => sum + piece.length, 0) / text.length;
  const sane = chunks > 1 && verbatim >= 0.95 && covered >= 0.9;
  const notes = [
    verbatim < 1 && `${((1 - verbatim) * 100).toFixed(1)}% of chunks altered (not in the source)`,
    exactOffsets !== undefined &&
      exactOffsets < 1 &&
      `${((1 - exactOffsets) * 100).toFixed(1)}% of offsets wrong`,
    covered < 0.9 && `chunks hold only ${(covered * 100).toFixed(0)}% of the text`,
  ].filter(Boolean);
  return {
    chunks,
    verbatim,
    ...(exactOffsets === undefined ? {} : { exactOffsets }),
    sane,
    ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
  };
}

/** A baseline (one encode of the whole text) only needs to have produced tokens. */
export function checkBaseline(output: Output): Sanity {
  const tokens = Number(output.texts[0]);
  return { chunks: 0, verbatim: 1, sane: tokens > 0, note: `${tokens} tokens` };
}
