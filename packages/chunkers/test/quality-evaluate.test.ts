import { describe, expect, it } from 'vitest';
import { evaluate } from '../src/quality/index.ts';
import { document, excerpts } from './fixtures/labelled-corpus.ts';

const span = (startOffset: number, endOffset: number) => ({ startOffset, endOffset });
// Hand-located in the fixture: paragraphs and non-empty lines of `document` (423 characters).
const paragraphs = [span(0, 157), span(159, 289), span(291, 423)];
const lines = [span(0, 84), span(85, 157), span(159, 222), span(223, 289), span(291, 359), span(360, 423)];

describe('evaluate on the labelled fixture', () => {
  it('locates the answer excerpts where hand-counted', () => {
    expect(document).toHaveLength(423);
    expect(excerpts).toEqual([
      { query: 'built', start: 34, end: 60 },
      { query: 'fuel', start: 101, end: 121 },
      { query: 'fuel', start: 135, end: 156 },
      { query: 'museum', start: 396, end: 422 },
    ]);
  });

  it('scores paragraph chunks: perfect recall, precision = answer / paragraph', () => {
    const result = evaluate(paragraphs, excerpts);
    expect(result.queries.map((q) => [q.query, q.relevantChunks])).toEqual([
      ['built', 1],
      ['fuel', 1],
      ['museum', 1],
    ]);
    const expected = [26 / 157, 41 / 157, 26 / 132];
    result.queries.forEach((q, i) => {
      expect(q.recall).toBe(1);
      expect(q.precision).toBeCloseTo(expected[i] as number, 12);
      expect(q.iou).toBeCloseTo(expected[i] as number, 12);
      expect(q.precisionOmega).toBeCloseTo(expected[i] as number, 12);
    });
    expect(result.precisionOmega).toBeCloseTo((26 / 157 + 41 / 157 + 26 / 132) / 3, 12);
  });

  it('rewards finer chunks with higher Precision_Ω', () => {
    const result = evaluate(lines, excerpts);
    expect(result.queries.map((q) => q.precisionOmega)).toEqual([26 / 84, 41 / 72, 26 / 63]);
    expect(result.precisionOmega).toBeGreaterThan(evaluate(paragraphs, excerpts).precisionOmega);
  });

  it('scores a retriever’s picks: extra chunks cost precision, a miss costs recall', () => {
    const result = evaluate(lines, excerpts, { retrieved: { fuel: [0, 1], museum: [4] } });
    const [built, fuel, museum] = result.queries;
    expect(built).toMatchObject({ recall: 1, precision: 26 / 84, iou: 26 / 84 });
    expect(fuel).toMatchObject({ recall: 1, precision: 41 / 156, iou: 41 / 156, precisionOmega: 41 / 72 });
    // Line 5 holds none of the answer: IoU's denominator is 68 retrieved + 26 missed characters.
    expect(museum).toMatchObject({ recall: 0, precision: 0, iou: 0, precisionOmega: 26 / 63 });
    expect(result.recall).toBeCloseTo(2 / 3, 12);
  });

  it('counts overlapping retrieved chunks in full for precision but once for Precision_Ω', () => {
    const [built] = evaluate([span(0, 100), span(50, 157)], excerpts.slice(0, 1)).queries;
    expect(built).toMatchObject({ relevantChunks: 2, recall: 1, precision: 26 / 207, iou: 26 / 207 });
    expect(built?.precisionOmega).toBeCloseTo(26 / 157, 12);
  });

  it('charges answer characters no chunk covers to every denominator', () => {
    const [built] = evaluate([span(0, 40)], excerpts.slice(0, 1)).queries;
    // 6 of the 26 answer characters are covered; 20 are missed.
    expect(built?.recall).toBeCloseTo(6 / 26, 12);
    expect(built?.precision).toBeCloseTo(6 / 40, 12);
    expect(built?.iou).toBeCloseTo(6 / 60, 12);
    expect(built?.precisionOmega).toBeCloseTo(6 / 60, 12);
  });

  it('treats excerpts without a query as one question and rejects bad input', () => {
    const result = evaluate(paragraphs, [{ start: 0, end: 10 }]);
    expect(result.queries).toHaveLength(1);
    expect(result.precisionOmega).toBeCloseTo(10 / 157, 12);
    expect(() => evaluate(paragraphs, [{ start: 5, end: 5 }])).toThrow(RangeError);
    expect(() => evaluate(paragraphs, excerpts, { retrieved: { built: [9] } })).toThrow(/does not exist/);
  });
});
