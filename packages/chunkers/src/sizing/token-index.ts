import { isHighSurrogate, isLowSurrogate, isWhitespace } from '../text/code-units.ts';
import type { Encoding } from './encodings.ts';
import { IntList } from './int-list.ts';

/**
 * Where the one encoding of a text puts its token boundaries, as string offsets.
 *
 * - `boundaries`/`cumulative`: every token boundary that falls between code points, with the
 *   number of tokens before it (ascending prefix sums; boundaries inside a code point, where byte
 *   tokens split a character, are left out).
 * - `cleanStarts`/`cleanCumulative`: the pre-tokenizer piece starts at which the text can be cut
 *   without changing how the pieces before the cut are tokenized (see `isCleanCut`), plus the end.
 * - `pieceStart[i]` is 1 when `boundaries[i]` starts a pre-tokenizer piece.
 */
export interface TokenIndex {
  boundaries: Int32Array;
  cumulative: Int32Array;
  pieceStart: Uint8Array;
  cleanStarts: Int32Array;
  cleanCumulative: Int32Array;
}

/**
 * Why a piece start after a non-whitespace character is a clean cut: the split patterns have no
 * lookbehind, and the only parts whose outcome differs between "a character follows" and "the text
 * ends" are the `\s+(?!\S)` / `\s+$` alternatives, which can only reach the cut through whitespace.
 * Every other path that reads past the cut either failed anyway or would have made the piece
 * cross the cut. So the pieces (and tokens) before a clean cut are those of the whole text.
 */
function isCleanCut(text: string, position: number): boolean {
  return position === 0 || position === text.length || !isWhitespace(text.charCodeAt(position - 1));
}

/** UTF-8 length of the code point at `position` and how many code units it spans. */
function codePointBytes(text: string, position: number): { bytes: number; units: number } {
  const code = text.charCodeAt(position);
  if (code < 0x80) return ONE_BYTE;
  if (code < 0x800) return TWO_BYTES;
  if (isHighSurrogate(code) && isLowSurrogate(text.charCodeAt(position + 1))) return FOUR_BYTES;
  // A lone surrogate is encoded as U+FFFD (3 bytes), like TextEncoder does.
  return THREE_BYTES;
}
const ONE_BYTE = { bytes: 1, units: 1 };
const TWO_BYTES = { bytes: 2, units: 1 };
const THREE_BYTES = { bytes: 3, units: 1 };
const FOUR_BYTES = { bytes: 4, units: 2 };

/** Encodes `text` once and maps each token's bytes back onto string offsets. */
export function buildTokenIndex(text: string, encoding: Encoding): TokenIndex {
  const estimate = (text.length >> 2) + 16;
  const boundaries = new IntList(estimate);
  const cumulative = new IntList(estimate);
  const pieceStarts = new IntList(estimate >> 1);
  const cleanStarts = new IntList(estimate >> 1);
  const cleanCumulative = new IntList(estimate >> 1);
  const { tokenBytes, tokenUnits } = encoding;

  boundaries.push(0);
  cumulative.push(0);
  pieceStarts.push(0);
  cleanStarts.push(0);
  cleanCumulative.push(0);

  let position = 0;
  let tokens = 0;
  let pendingBytes = 0; // bytes of a code point that the previous token only began
  let pendingUnits = 0;
  for (const piece of encoding.pieces(text)) {
    for (const token of piece) {
      tokens++;
      const units = tokenUnits[token] as number;
      if (units > 0 && pendingBytes === 0) {
        // Whole characters: no need to walk their bytes.
        position += units;
        boundaries.push(position);
        cumulative.push(tokens);
        continue;
      }
      let bytes = tokenBytes[token] as number;
      while (bytes > 0) {
        if (pendingBytes > 0) {
          const taken = Math.min(pendingBytes, bytes);
          pendingBytes -= taken;
          bytes -= taken;
          if (pendingBytes === 0) position += pendingUnits;
          continue;
        }
        const codePoint = codePointBytes(text, position);
        if (codePoint.bytes <= bytes) {
          bytes -= codePoint.bytes;
          position += codePoint.units;
        } else {
          pendingBytes = codePoint.bytes - bytes;
          pendingUnits = codePoint.units;
          bytes = 0;
        }
      }
      if (pendingBytes === 0) {
        boundaries.push(position);
        cumulative.push(tokens);
      }
    }
    // Pieces are whole code points, so a piece always ends on a recorded boundary.
    pieceStarts.push(boundaries.length - 1);
    if (isCleanCut(text, position) && position > 0) {
      cleanStarts.push(position);
      cleanCumulative.push(tokens);
    }
  }
  if (position !== text.length || pendingBytes !== 0) {
    throw new Error(`Token bytes ended at offset ${position} of ${text.length}: encoding and text disagree`);
  }
  const pieceStart = new Uint8Array(boundaries.length);
  for (const index of pieceStarts.view()) pieceStart[index] = 1;
  return {
    boundaries: boundaries.view(),
    cumulative: cumulative.view(),
    pieceStart,
    cleanStarts: cleanStarts.view(),
    cleanCumulative: cleanCumulative.view(),
  };
}
