import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countTokens } from '../src/index.ts';
import { encodingMergeCore, type MergeCore } from '../src/sizing/encodings.ts';
import { bytePairMergeByHeap } from '../src/sizing/heap-merge.ts';

/** The package's own merge of an encoding (kept on the core's prototype) and its rank lookup. */
function packagedMergeOf(name: 'cl100k_base' | 'o200k_base') {
  const core = encodingMergeCore(name);
  const merge = Object.getPrototypeOf(core).bytePairMerge as MergeCore['bytePairMerge'];
  return {
    core,
    packaged: (bytes: Uint8Array) => merge.call(core, bytes),
    rankOf: (bytes: Uint8Array) => core.getBpeRankFromBytes(bytes),
  };
}

describe('byte-pair merge by heap', () => {
  it.each(['cl100k_base', 'o200k_base'] as const)(
    'gives exactly the packaged merge on any piece (%s)',
    (name) => {
      const { packaged, rankOf } = packagedMergeOf(name);
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
          expect(bytePairMergeByHeap(bytes, rankOf)).toEqual(packaged(bytes));
        }),
        { numRuns: 200 },
      );
    },
  );

  it('gives exactly the packaged merge on 20,000-character words, and the engine uses it', () => {
    const { core, packaged, rankOf } = packagedMergeOf('cl100k_base');
    for (const word of ['a'.repeat(20_000), 'xq'.repeat(10_000), 'Zebra'.repeat(4_000)]) {
      const bytes = new TextEncoder().encode(word);
      const reference = packaged(bytes);
      expect(bytePairMergeByHeap(bytes, rankOf)).toEqual(reference);
      expect(countTokens(word, 'cl100k_base')).toBe(reference.length);
    }
    expect(Object.hasOwn(core, 'bytePairMerge')).toBe(true);
  });
});
