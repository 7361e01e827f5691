import { describe, expect, it } from 'vitest';
import { MAX_CACHED_PIECE_UNITS, PieceCache } from '../src/sizing/piece-cache.ts';

/** A stand-in tokenizer whose count depends on every code unit: a mixed-up piece miscounts. */
function fakeEnds(piece: string): Int32Array | undefined {
  let sum = 0;
  for (let i = 0; i < piece.length; i++) sum = (sum * 31 + piece.charCodeAt(i)) % 9973;
  const tokens = (sum % 6) + 1;
  return tokens === 1 ? undefined : new Int32Array(tokens).fill(piece.length);
}

describe('PieceCache', () => {
  it('answers for the piece asked, whatever held its slot before', () => {
    // Three times the slots in pieces of few lengths that differ in one code unit, read in place
    // from a longer text, looked up twice in opposite orders: most slots are taken over.
    const pieces = Array.from({ length: 100_000 }, (_, i) => {
      const length = 5 + (i % 4) * 9;
      return `x${String.fromCharCode(0x41 + (i % 50), 0x100 + (i >> 4))}`.padEnd(length, 'é');
    });
    let calls = 0;
    const cache = new PieceCache((piece) => {
      calls++;
      return fakeEnds(piece);
    });
    const wrong: string[] = [];
    for (const order of [pieces, [...pieces].reverse()]) {
      for (const piece of order) {
        const text = `  ${piece}  `;
        const slot = cache.slotOf(text, 2, 2 + piece.length);
        const expected = fakeEnds(piece);
        const ends = cache.tokenEnds(slot);
        const sameEnds = ends === expected || (ends !== undefined && ends.length === expected?.length);
        if (!sameEnds || cache.tokenCount(slot) !== (expected?.length ?? 1)) wrong.push(piece);
      }
    }
    expect(wrong).toEqual([]);
    expect(pieces.every((piece) => piece.length <= MAX_CACHED_PIECE_UNITS)).toBe(true);
    expect(new Set(pieces).size).toBe(pieces.length);
    expect(calls).toBeLessThan(2 * pieces.length);
  });

  it('tokenizes a piece once while its slot keeps it', () => {
    let calls = 0;
    const cache = new PieceCache((piece) => {
      calls++;
      return fakeEnds(piece);
    });
    const text = 'one piece, then the same piece: piece';
    const first = cache.slotOf(text, 4, 9);
    const again = cache.slotOf(text, text.length - 5, text.length);
    expect(again).toBe(first);
    expect(calls).toBe(1);
  });
});
