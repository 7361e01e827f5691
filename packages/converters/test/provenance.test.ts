import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProvenanceIndex, pagesOf } from '../src/index.ts';

describe('pages of an offset range', () => {
  it('equals the pages of its first and last character, by brute force', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 12 }),
        fc.nat(500),
        fc.nat(60),
        (lengths, start, span) => {
          const starts = lengths.map((_, index) =>
            lengths.slice(0, index).reduce((sum, length) => sum + length, 0),
          );
          const pageOf = (offset: number) => starts.filter((pageStart) => pageStart <= offset).length;
          const end = start + span;
          expect(pagesOf(starts, start, end)).toEqual([pageOf(start), pageOf(Math.max(start, end - 1))]);
        },
      ),
    );
  });
});

describe('heading paths', () => {
  it('nest by level and reset at a shallower heading', () => {
    const index = new ProvenanceIndex({
      headings: [
        { level: 1, text: 'A', offset: 10 },
        { level: 3, text: 'A.x', offset: 20 },
        { level: 2, text: 'A.1', offset: 30 },
        { level: 1, text: 'B', offset: 40 },
      ],
    });
    expect(index.headingPath(0)).toEqual([]);
    expect(index.headingPath(25)).toEqual(['A', 'A.x']);
    expect(index.headingPath(30)).toEqual(['A', 'A.1']);
    expect(index.headingPath(99)).toEqual(['B']);
  });
});
