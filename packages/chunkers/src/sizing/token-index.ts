import { isWhitespace } from '../text/code-units.ts';
import type { Encoding } from './encodings.ts';

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
  pieceStart: Int32Array;
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

/** Int32Array columns that grow together (a doubling copy when full), written by index. */
class Columns {
  length = 0;
  capacity: number;
  readonly columns: Int32Array[];

  constructor(count: number, capacity: number) {
    this.capacity = Math.max(16, capacity);
    this.columns = Array.from({ length: count }, () => new Int32Array(this.capacity));
  }

  /** Makes room for `more` rows past `length`. */
  reserve(more: number): void {
    if (this.length + more <= this.capacity) return;
    while (this.length + more > this.capacity) this.capacity *= 2;
    for (let i = 0; i < this.columns.length; i++) {
      const grown = new Int32Array(this.capacity);
      grown.set(this.columns[i] as Int32Array);
      this.columns[i] = grown;
    }
  }

  view(column: number): Int32Array {
    return (this.columns[column] as Int32Array).subarray(0, this.length);
  }
}

/**
 * Encodes `text` once and maps each token onto string offsets: one walk of the pre-tokenizer,
 * where a piece the vocabulary holds whole (most of them) is one lookup and one boundary.
 */
export function buildTokenIndex(text: string, encoding: Encoding): TokenIndex {
  // Boundary rows: offset, tokens before it, 1 when a piece starts there.
  const rows = new Columns(3, (text.length >> 2) + 16);
  // Clean cut rows: offset, tokens before it.
  const clean = new Columns(2, (text.length >> 3) + 16);
  let [boundaries, cumulative, pieceStart] = rows.columns as [Int32Array, Int32Array, Int32Array];
  let [cleanStarts, cleanCumulative] = clean.columns as [Int32Array, Int32Array];
  pieceStart[0] = 1;
  rows.length = 1;
  clean.length = 1;

  let position = 0;
  let tokens = 0;
  let row = 1;
  let cleanRow = 1;
  while (position < text.length) {
    const pieceEnd = encoding.pieceEnd(text, position);
    const ends = encoding.tokenEnds(text, position, pieceEnd);
    const added = ends === undefined ? 1 : ends.length;
    if (row + added > rows.capacity) {
      rows.length = row;
      rows.reserve(added);
      [boundaries, cumulative, pieceStart] = rows.columns as [Int32Array, Int32Array, Int32Array];
    }
    if (ends === undefined) {
      tokens++;
      boundaries[row] = pieceEnd;
      cumulative[row] = tokens;
      row++;
    } else {
      for (let k = 0; k < ends.length; k++) {
        tokens++;
        const end = ends[k] as number;
        // Boundaries inside a code point are left out (see TokenIndex).
        if (end >= 0) {
          boundaries[row] = position + end;
          cumulative[row] = tokens;
          row++;
        }
      }
    }
    position = pieceEnd;
    // Pieces are whole code points, so a piece always ends on a recorded boundary.
    pieceStart[row - 1] = 1;
    if (isCleanCut(text, position)) {
      if (cleanRow === clean.capacity) {
        clean.length = cleanRow;
        clean.reserve(1);
        [cleanStarts, cleanCumulative] = clean.columns as [Int32Array, Int32Array];
      }
      cleanStarts[cleanRow] = position;
      cleanCumulative[cleanRow] = tokens;
      cleanRow++;
    }
  }
  rows.length = row;
  clean.length = cleanRow;
  return {
    boundaries: rows.view(0),
    cumulative: rows.view(1),
    pieceStart: rows.view(2),
    cleanStarts: clean.view(0),
    cleanCumulative: clean.view(1),
  };
}
