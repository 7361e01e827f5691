import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunk } from '../src/index.ts';
import { checkStrategyInvariants, checkStrategyInvariantsAcrossSegments } from './support/invariants.ts';

const paragraphs = [
  'First paragraph has two sentences. It is short.',
  'Second paragraph is a little longer and carries on for a while without stopping at all.',
  'Third.',
].join('\n\n');

describe('recursive', () => {
  it('keeps paragraphs whole when they fit, and merges small ones', () => {
    const chunks = chunk(paragraphs, { strategy: 'recursive', chunkSize: 100, chunkOverlap: 0 });
    expect(chunks.map((c) => c.content)).toEqual([
      'First paragraph has two sentences. It is short.',
      'Second paragraph is a little longer and carries on for a while without stopping at all.\n\nThird.',
    ]);
  });

  it('falls back to sentences, then words, inside a long paragraph', () => {
    const chunks = chunk(paragraphs, { strategy: 'recursive', chunkSize: 40, chunkOverlap: 0 });
    expect(chunks[0]?.content).toBe('First paragraph has two sentences.');
    expect(chunks.every((c) => c.content.length <= 40)).toBe(true);
    expect(chunks.every((c) => !/^\s|\s$/.test(c.content))).toBe(true);
  });

  it('overlaps whole words, never more than chunkOverlap', () => {
    const text = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu';
    const chunks = chunk(text, { strategy: 'recursive', chunkSize: 30, chunkOverlap: 12 });
    for (let i = 1; i < chunks.length; i++) {
      const previous = chunks[i - 1];
      const current = chunks[i];
      if (previous === undefined || current === undefined) continue;
      expect(current.startOffset).toBeLessThan(previous.endOffset);
      expect(previous.endOffset - current.startOffset).toBeLessThanOrEqual(12);
      expect(text[current.startOffset - 1]).toBe(' ');
    }
  });

  it('finds exact offsets for repeated text', () => {
    const text = 'same line\n'.repeat(50);
    const chunks = chunk(text, { strategy: 'recursive', chunkSize: 25, chunkOverlap: 10 });
    for (const c of chunks) expect(text.slice(c.startOffset, c.endOffset)).toBe(c.content);
    expect(new Set(chunks.map((c) => c.startOffset)).size).toBe(chunks.length);
  });

  it('uses custom separators', () => {
    const chunks = chunk('a;b;c;d;e;f', {
      strategy: 'recursive',
      separators: [';'],
      chunkSize: 4,
      chunkOverlap: 0,
    });
    expect(chunks.map((c) => c.content)).toEqual(['a;b;', 'c;d;', 'e;f']);
  });

  it('holds every invariant (property)', () => {
    checkStrategyInvariants('recursive');
  });

  it('holds every invariant across a segment boundary (property)', () => {
    checkStrategyInvariantsAcrossSegments('recursive');
  });

  it('holds every invariant with random separators (property)', () => {
    checkStrategyInvariants('recursive', {
      extra: fc.record({
        separators: fc.array(fc.constantFrom('\n\n', '\n', '. ', ' ', ',', '中', 'ab', ''), {
          minLength: 1,
          maxLength: 5,
        }),
      }),
      numRuns: 80,
    });
  });
});
