import { describe, expect, it } from 'vitest';
import { planWindows, topicCuts } from '../src/strategies/semantic-boundaries.ts';

const similarities = (...values: number[]) => Float64Array.from([Number.NaN, ...values]);

describe('semantic boundaries', () => {
  it('plans two-sentence windows on each side of every gap, each embedded once', () => {
    const plan = planWindows([0, 10, 20, 30]);
    expect(plan.windows).toEqual([
      [0, 1],
      [1, 3],
      [0, 2],
      [2, 4],
      [3, 4],
    ]);
    expect(plan.gapWindows.slice(1)).toEqual([
      [0, 1],
      [2, 3],
      [1, 4],
    ]);
    expect(planWindows([]).windows).toEqual([]);
  });

  it('cuts once per dip, at its lowest gap below the threshold', () => {
    // Gaps 1–7: one blurred dip around gap 4, one lone dip at gap 7.
    expect(topicCuts(similarities(0.9, 0.8, 0.4, 0.1, 0.45, 0.9, 0.3), 0.5)).toEqual([4, 7]);
  });

  it('cuts a flat-bottomed dip once, and nothing at or above the threshold', () => {
    expect(topicCuts(similarities(0.9, 0.2, 0.2, 0.9), 0.5)).toEqual([3]);
    expect(topicCuts(similarities(0.5, 0.6, 0.5), 0.5)).toEqual([]);
  });
});
