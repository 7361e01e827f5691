import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cosineSimilarity, createEmbedder, HashingEmbedder, isSyncEmbedder } from '../src/embedders/index.ts';

const embedder = new HashingEmbedder();
const one = (text: string) => embedder.embedSync([text])[0] as Float32Array;

describe('HashingEmbedder', () => {
  it('is deterministic and unit-length for any text with a word in it', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const a = one(text);
        expect(Array.from(a)).toEqual(Array.from(new HashingEmbedder().embedSync([text])[0] ?? []));
        const hasWord = /[\p{L}\p{N}]/u.test(text);
        expect(Math.hypot(...a)).toBeCloseTo(hasWord ? 1 : 0, 5);
      }),
    );
  });

  it('scores shared vocabulary above unrelated text, across scripts', () => {
    const cats = one('The cat sat on the warm mat and purred at the cat next door.');
    const moreCats = one('A cat purred on the mat; the other cat sat by the door.');
    const finance = one('Quarterly revenue grew while operating margins narrowed sharply.');
    expect(cosineSimilarity(cats, moreCats)).toBeGreaterThan(cosineSimilarity(cats, finance) + 0.3);

    const russianA = one('Кошка спит на тёплом ковре у окна.');
    const russianB = one('Кошка спала на ковре у окна весь день.');
    const greek = one('Η οικονομία της χώρας αναπτύχθηκε γρήγορα.');
    expect(cosineSimilarity(russianA, russianB)).toBeGreaterThan(cosineSimilarity(russianA, greek));
  });

  it('gives empty or punctuation-only text a zero vector, which compares as 0', () => {
    expect(Array.from(one('  ...  ')).every((v) => v === 0)).toBe(true);
    expect(cosineSimilarity(one(''), one('word'))).toBe(0);
  });

  it('is the synchronous default that createEmbedder builds', async () => {
    const made = createEmbedder();
    expect(isSyncEmbedder(made)).toBe(true);
    expect(made.id).toBe('hashing-512-3');
    expect(Array.from((await made.embed(['same']))[0] ?? [])).toEqual(Array.from(one('same')));
  });

  it('rejects nonsensical parameters', () => {
    expect(() => new HashingEmbedder({ dimensions: 3 })).toThrow(RangeError);
    expect(() => new HashingEmbedder({ ngram: 0 })).toThrow(RangeError);
    expect(() => cosineSimilarity(new Float32Array(2), new Float32Array(3))).toThrow(RangeError);
  });
});
