import { describe, expect, it } from 'vitest';
import { chunk } from '../src/index.ts';
import { checkStrategyInvariants, checkStrategyInvariantsAcrossSegments } from './support/invariants.ts';

describe('fixed', () => {
  it('makes windows of exactly chunkSize that step by size − overlap', () => {
    const text = 'abcdefghijklmnopqrstuvwxyz';
    const chunks = chunk(text, { strategy: 'fixed', chunkSize: 10, chunkOverlap: 3 });
    expect(chunks.map((c) => c.content)).toEqual(['abcdefghij', 'hijklmnopq', 'opqrstuvwx', 'vwxyz']);
  });

  it('never splits a surrogate pair', () => {
    const chunks = chunk('a😀😀😀', { strategy: 'fixed', chunkSize: 4, chunkOverlap: 0 });
    expect(chunks.map((c) => c.content)).toEqual(['a😀', '😀😀']);
  });

  it('sizes in tokens exactly', () => {
    const text = 'The quick brown fox jumps over the lazy dog. '.repeat(20);
    const chunks = chunk(text, { strategy: 'fixed', sizeUnit: 'tokens', chunkSize: 16, chunkOverlap: 4 });
    expect(chunks.length).toBeGreaterThan(10);
    expect(Math.max(...chunks.map((c) => c.tokenCount))).toBe(16);
  });

  it('holds every invariant (property)', () => {
    checkStrategyInvariants('fixed');
  });

  it('holds every invariant across a segment boundary (property)', () => {
    checkStrategyInvariantsAcrossSegments('fixed');
  });
});
