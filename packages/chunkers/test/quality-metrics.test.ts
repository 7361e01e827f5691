import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../src/quality/index.ts';

const text = 'Alpha beta. Gamma delta.\n\nEpsilon zeta. Eta theta';
const chunk = (startOffset: number, endOffset: number, tokenCount: number) => ({
  startOffset,
  endOffset,
  charCount: endOffset - startOffset,
  tokenCount,
});

describe('computeMetrics', () => {
  it('matches hand-computed sizes, boundaries and overlap', () => {
    const metrics = computeMetrics(text, [
      chunk(0, 11, 3), // "Alpha beta." — ends a sentence
      chunk(6, 24, 5), // "beta. Gamma delta." — ends a paragraph, overlaps the first by 5
      chunk(26, 33, 2), // "Epsilon" — mid-sentence
      chunk(33, 49, 4), // " zeta. Eta theta" — ends the text
    ]);
    expect(metrics.chunkCount).toBe(4);
    expect(metrics.chars).toEqual({ mean: 13, min: 7, max: 18, variance: 18.5 });
    expect(metrics.tokens).toEqual({ mean: 3.5, min: 2, max: 5, variance: 1.25 });
    expect(metrics.sentenceBoundaryRatio).toBe(3 / 4);
    expect(metrics.paragraphBoundaryRatio).toBe(2 / 4);
    // 52 chunk characters cover 47 distinct ones.
    expect(metrics.overlapRatio).toBeCloseTo(5 / 52, 12);
    expect(metrics.coverage).toBe(1);
  });

  it('reports partial coverage over non-whitespace characters', () => {
    // 41 non-whitespace characters in the text, 10 of them in "Alpha beta.".
    expect(computeMetrics(text, [chunk(0, 11, 3)]).coverage).toBeCloseTo(10 / 41, 12);
  });

  it('finds sentence ends in scripts without spaces', () => {
    const cjk = '今天天气很好。我们去公园吧！';
    expect(computeMetrics(cjk, [chunk(0, 7, 1), chunk(7, 14, 1)]).sentenceBoundaryRatio).toBe(1);
    expect(computeMetrics(cjk, [chunk(0, 4, 1)]).sentenceBoundaryRatio).toBe(0);
  });

  it('is all zeros for no chunks', () => {
    const metrics = computeMetrics('', []);
    expect(metrics.chars).toEqual({ mean: 0, min: 0, max: 0, variance: 0 });
    expect([metrics.sentenceBoundaryRatio, metrics.overlapRatio, metrics.coverage]).toEqual([0, 0, 1]);
  });

  it('keeps ratios in [0, 1] and sees no overlap in a partition', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 200 }),
        fc.uniqueArray(fc.nat(), { maxLength: 10 }),
        (source, rawCuts) => {
          const cuts = [...new Set([0, ...rawCuts.map((c) => c % source.length), source.length])].sort(
            (a, b) => a - b,
          );
          const chunks = cuts.slice(1).map((end, i) => chunk(cuts[i] as number, end, 1));
          const metrics = computeMetrics(source, chunks);
          expect(metrics.overlapRatio).toBe(0);
          expect(metrics.coverage).toBe(1);
          for (const ratio of [metrics.sentenceBoundaryRatio, metrics.paragraphBoundaryRatio]) {
            expect(ratio).toBeGreaterThanOrEqual(0);
            expect(ratio).toBeLessThanOrEqual(1);
          }
          expect(metrics.chars.mean * chunks.length).toBeCloseTo(source.length, 6);
        },
      ),
    );
  });
});
