import { describe, expect, it } from 'vitest';
import { cosineSimilarity, HashingEmbedder } from '../src/embedders/index.ts';
import {
  EMBED_BATCH_WINDOWS,
  gapSimilarities,
  planWindows,
  topicCuts,
} from '../src/strategies/semantic-boundaries.ts';

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

  it('embeds the windows in bounded batches, each once, and gives the similarity of every gap', () => {
    const sentences = Array.from({ length: 700 }, (_, i) => `Sentence ${i % 37} about topic ${i % 5}. `);
    const text = sentences.join('');
    const starts = sentences.map((_, i) => sentences.slice(0, i).join('').length);
    const plan = planWindows(starts);
    const embedder = new HashingEmbedder({ dimensions: 64 });
    const batches: number[] = [];
    const embeddedTexts: string[] = [];
    const steps = gapSimilarities(text, plan);
    let step = steps.next();
    while (!step.done) {
      batches.push(step.value.length);
      embeddedTexts.push(...step.value);
      step = steps.next(embedder.embedSync(step.value));
    }
    expect(Math.max(...batches)).toBe(EMBED_BATCH_WINDOWS);
    expect(embeddedTexts).toHaveLength(plan.windows.length);
    // The same as embedding every window at once.
    const all = embedder.embedSync(embeddedTexts);
    const expected = plan.gapWindows
      .slice(1)
      .map(([left, right]) => cosineSimilarity(all[left] as Float32Array, all[right] as Float32Array));
    expect(Array.from(step.value.slice(1))).toEqual(expected);
  });
});
