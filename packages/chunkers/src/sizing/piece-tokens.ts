import { isHighSurrogate, isLowSurrogate } from '../text/code-units.ts';
import { MAX_CACHED_PIECE_UNITS, PieceCache } from './piece-cache.ts';

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

/** The vocabulary's tables a piece's tokens are mapped back onto its code units with. */
export interface TokenTables {
  /** UTF-8 length of each token id. */
  tokenBytes: Uint8Array;
  /** UTF-16 length of each token that decodes to whole characters, 0 for a byte token. */
  tokenUnits: Uint16Array;
}

/**
 * Where each token of `piece` ends inside it, in code units: -1 for a token that ends inside a
 * code point (byte tokens split a character). A token made of whole characters needs no walk
 * over its bytes.
 */
export function tokenEndsOf(piece: string, tokens: readonly number[], tables: TokenTables): Int32Array {
  const { tokenBytes, tokenUnits } = tables;
  const ends = new Int32Array(tokens.length);
  let position = 0;
  let pendingBytes = 0; // bytes of a code point that the previous token only began
  let pendingUnits = 0;
  for (let k = 0; k < tokens.length; k++) {
    const token = tokens[k] as number;
    const units = tokenUnits[token] as number;
    if (units > 0 && pendingBytes === 0) {
      position += units;
      ends[k] = position;
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
      const codePoint = codePointBytes(piece, position);
      if (codePoint.bytes <= bytes) {
        bytes -= codePoint.bytes;
        position += codePoint.units;
      } else {
        pendingBytes = codePoint.bytes - bytes;
        pendingUnits = codePoint.units;
        bytes = 0;
      }
    }
    ends[k] = pendingBytes === 0 ? position : -1;
  }
  if (position !== piece.length || pendingBytes !== 0) {
    throw new Error(`Token bytes ended at offset ${position} of a ${piece.length}-unit piece`);
  }
  return ends;
}

/**
 * Pieces the vocabulary holds whole (most words) are one map lookup; the others are merged once
 * and their token ends remembered (the only merge cache in use, without the package's per-hit LRU
 * bookkeeping). A piece of 13 or more characters is a V8 slice that keeps its whole source string
 * alive: a cache keyed by such slices pinned every document a server tokenized (a load run's heap
 * snapshots). Keys are copies, so the cache holds only its own characters, and it is cleared when
 * those pass MAX_MERGED_CHARS.
 */
export class PieceTokens {
  readonly #ranks: ReadonlyMap<string, number>;
  readonly #merge: (bytes: Uint8Array) => number[];
  readonly #tables: TokenTables;
  readonly #merged = new Map<string, Int32Array>();
  /** `tokenEnds` of short ASCII pieces by `shortPieceKey` (null: one token); the shortest in a table. */
  readonly #shortTable: (Int32Array | null | undefined)[] = new Array(SHORT_TABLE_SIZE);
  readonly #shortMap = new Map<number, Int32Array | null>();
  /** The other pieces up to MAX_CACHED_PIECE_UNITS (most words). */
  readonly #cache = new PieceCache((piece) => this.#pieceEnds(piece));
  #mergedChars = 0;
  readonly #encoder = new TextEncoder();

  constructor(
    ranks: ReadonlyMap<string, number>,
    merge: (bytes: Uint8Array) => number[],
    tables: TokenTables,
  ) {
    this.#ranks = ranks;
    this.#merge = merge;
    this.#tables = tables;
  }

  /**
   * How `text.slice(start, end)` is tokenized: undefined when it is one token, else where each
   * of its tokens ends (see `tokenEndsOf`). A piece of up to four ASCII characters (over half the
   * pieces of source code: punctuation, short words) is looked up by a number made of its
   * characters, without making the string and hashing it; a longer one (a word) in a PieceCache,
   * made into a string only when it is not there.
   */
  tokenEnds(text: string, start: number, end: number): Int32Array | undefined {
    const key = end - start <= SHORT_PIECE_CHARS ? shortPieceKey(text, start, end) : -1;
    if (key >= 0) return this.#shortPieceEnds(key, text, start, end);
    if (end - start <= MAX_CACHED_PIECE_UNITS)
      return this.#cache.tokenEnds(this.#cache.slotOf(text, start, end));
    return this.#pieceEnds(text.slice(start, end));
  }

  /** How many tokens `text.slice(start, end)` is: a cached word's count is read without its ends. */
  tokenCount(text: string, start: number, end: number): number {
    const length = end - start;
    if (length > SHORT_PIECE_CHARS && length <= MAX_CACHED_PIECE_UNITS) {
      return this.#cache.tokenCount(this.#cache.slotOf(text, start, end));
    }
    return this.tokenEnds(text, start, end)?.length ?? 1;
  }

  #shortPieceEnds(key: number, text: string, start: number, end: number): Int32Array | undefined {
    let known = key < SHORT_TABLE_SIZE ? this.#shortTable[key] : this.#shortMap.get(key);
    if (known === undefined) {
      known = this.#pieceEnds(text.slice(start, end)) ?? null;
      if (key < SHORT_TABLE_SIZE) this.#shortTable[key] = known;
      else {
        if (this.#shortMap.size >= MAX_SHORT_PIECES) this.#shortMap.clear();
        this.#shortMap.set(key, known);
      }
    }
    return known ?? undefined;
  }

  #pieceEnds(piece: string): Int32Array | undefined {
    if (this.#ranks.get(piece) !== undefined) return undefined;
    let ends = this.#merged.get(piece);
    if (ends === undefined) {
      ends = tokenEndsOf(piece, this.#merge(this.#encoder.encode(piece)), this.#tables);
      if (this.#mergedChars + piece.length > MAX_MERGED_CHARS) {
        this.#merged.clear();
        this.#mergedChars = 0;
      }
      this.#merged.set(ownCopy(piece), ends);
      this.#mergedChars += piece.length;
    }
    return ends;
  }
}

/** Pieces up to this long, all ASCII, are keyed by number (see `shortPieceKey`). */
const SHORT_PIECE_CHARS = 4;
/** Keys of pieces of one or two characters are below this: they index a table. */
const SHORT_TABLE_SIZE = 1 << 15;
/**
 * Distinct three- and four-character pieces remembered: the 2 MB benchmark corpus has under
 * 3,000. Bounded, as random text could make millions.
 */
const MAX_SHORT_PIECES = 1 << 14;

/**
 * A number that names a piece of one to four ASCII characters, or -1 for any other piece: seven
 * bits a character, then the length less one (at bit 14 for one or two characters, which keeps
 * their keys under SHORT_TABLE_SIZE; at bit 28 for more). Under 2^30: a small integer.
 */
function shortPieceKey(text: string, start: number, end: number): number {
  let key = 0;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) return -1;
    key |= code << (7 * (i - start));
  }
  const length = end - start;
  return key | ((length - 1) << (length <= 2 ? 14 : 28));
}

/**
 * A string equal to `value` that references no other string: joining forces a new flat string
 * (V8 copies on flattening), and the slice is of that copy, not of `value`'s source.
 */
function ownCopy(value: string): string {
  return ` ${value}`.slice(1);
}

/** About 1 MB of distinct multi-token pieces: a few thousand cover most real text. */
const MAX_MERGED_CHARS = 1 << 20;
