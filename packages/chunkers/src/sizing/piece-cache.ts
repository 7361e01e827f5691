/** Pieces up to this many code units are cached (the words of real text are shorter). */
export const MAX_CACHED_PIECE_UNITS = 32;
/** 32,768 slots: 2 MB of code units, which the ~20,000 distinct pieces of a 2 MB corpus fit. */
const SLOTS = 1 << 15;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * How pieces of up to MAX_CACHED_PIECE_UNITS code units are tokenized, found by their code units
 * read in place: a lookup makes no string. Direct-mapped: a piece whose slot holds another takes the
 * slot over. A slot's piece, length and token count live in typed arrays, so a lookup compares the
 * piece without reaching a string object elsewhere in the heap (with strings as keys, those reads
 * were most of a lookup's time), and the cache holds copies of the characters, never a document.
 */
export class PieceCache {
  readonly #hashes = new Int32Array(SLOTS);
  /** 0 for an empty slot. */
  readonly #lengths = new Uint8Array(SLOTS);
  /** At most 4 UTF-8 bytes a code unit pair, so a cached piece has at most 96 tokens. */
  readonly #counts = new Uint8Array(SLOTS);
  readonly #units = new Uint16Array(SLOTS * MAX_CACHED_PIECE_UNITS);
  readonly #ends: (Int32Array | null)[] = new Array(SLOTS).fill(null);
  readonly #tokenize: (piece: string) => Int32Array | undefined;

  /** `tokenize`: a piece's token ends, undefined when it is one token (see PieceTokens). */
  constructor(tokenize: (piece: string) => Int32Array | undefined) {
    this.#tokenize = tokenize;
  }

  /** The slot holding text.slice(start, end), a piece of 1 to MAX_CACHED_PIECE_UNITS code units. */
  slotOf(text: string, start: number, end: number): number {
    let hash = FNV_OFFSET;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
    const slot = (hash ^ (hash >>> 15)) & (SLOTS - 1);
    const length = end - start;
    if (
      this.#hashes[slot] === hash &&
      this.#lengths[slot] === length &&
      this.#holds(slot, text, start, end)
    ) {
      return slot;
    }
    const ends = this.#tokenize(text.slice(start, end));
    this.#hashes[slot] = hash;
    this.#lengths[slot] = length;
    this.#counts[slot] = ends === undefined ? 1 : ends.length;
    this.#ends[slot] = ends ?? null;
    const base = slot * MAX_CACHED_PIECE_UNITS;
    for (let i = start; i < end; i++) this.#units[base + i - start] = text.charCodeAt(i);
    return slot;
  }

  tokenCount(slot: number): number {
    return this.#counts[slot] as number;
  }

  tokenEnds(slot: number): Int32Array | undefined {
    return this.#ends[slot] ?? undefined;
  }

  #holds(slot: number, text: string, start: number, end: number): boolean {
    const units = this.#units;
    const base = slot * MAX_CACHED_PIECE_UNITS - start;
    for (let i = start; i < end; i++) if (units[base + i] !== text.charCodeAt(i)) return false;
    return true;
  }
}
