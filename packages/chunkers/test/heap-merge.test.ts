import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countTokens } from '../src/index.ts';
import { encodingMergeCore, type MergeCore } from '../src/sizing/encodings.ts';
import { bytePairMergeByHeap } from '../src/sizing/heap-merge.ts';

describe('byte-pair merge by heap', () => {
  it.each(['cl100k_base', 'o200k_base'] as const)(
    'gives exactly the packaged merge on any piece (%s)',
    (name) => {
      const core = encodingMergeCore(name);
      const packaged = Object.getPrototypeOf(core).bytePairMerge as MergeCore['bytePairMerge'];
      const rankOf = (bytes: Uint8Array) => core.getBpeRankFromBytes(bytes);
      const encoder = new TextEncoder();
      const pieces = fc.oneof(
        fc.string({
          unit: fc.constantFrom('a', 'b', 'e', 'x', 'q', 'Z', 'é', '日', '😀'),
          minLength: 1,
          maxLength: 3000,
        }),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 800 }),
        fc.uint8Array({ minLength: 1, maxLength: 2000 }),
      );
      fc.assert(
        fc.property(pieces, (piece) => {
          const bytes = typeof piece === 'string' ? encoder.encode(piece) : piece;
          expect(bytePairMergeByHeap(bytes, rankOf)).toEqual(packaged.call(core, bytes));
        }),
        { numRuns: 200 },
      );
    },
  );

  it('gives exactly the packaged merge on 20,000-character words, and the engine uses it', () => {
    const core = encodingMergeCore('cl100k_base');
    const packaged = Object.getPrototypeOf(core).bytePairMerge as MergeCore['bytePairMerge'];
    const rankOf = (bytes: Uint8Array) => core.getBpeRankFromBytes(bytes);
    for (const word of ['a'.repeat(20_000), 'xq'.repeat(10_000), 'Zebra'.repeat(4_000)]) {
      const bytes = new TextEncoder().encode(word);
      const reference = packaged.call(core, bytes);
      expect(bytePairMergeByHeap(bytes, rankOf)).toEqual(reference);
      expect(countTokens(word, 'cl100k_base')).toBe(reference.length);
    }
    expect(Object.hasOwn(core, 'bytePairMerge')).toBe(true);
  });
});
