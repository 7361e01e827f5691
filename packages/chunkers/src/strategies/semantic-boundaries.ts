import { cosineSimilarity } from '../embedders/embedder.ts';

/** Sentences compared on each side of a gap: enough context to smooth single odd sentences. */
export const SEMANTIC_WINDOW = 2;

export interface SemanticPlan {
  /** Sentence ranges tiling the text: sentence i is [starts[i], starts[i + 1] ?? text.length). */
  starts: readonly number[];
  /** Distinct windows to embed, as [firstSentence, endSentence) pairs. */
  windows: readonly (readonly [number, number])[];
  /** For gap g (before sentence g, g ≥ 1): indices into `windows` of its left and right window. */
  gapWindows: readonly (readonly [number, number])[];
}

/**
 * Windows of up to SEMANTIC_WINDOW sentences before and after every gap between sentences. The
 * window after gap g is the window before gap g + SEMANTIC_WINDOW, so each is embedded once.
 */
export function planWindows(sentenceStarts: readonly number[]): SemanticPlan {
  const count = sentenceStarts.length;
  const index = new Map<string, number>();
  const windows: [number, number][] = [];
  const windowOf = (first: number, end: number) => {
    const key = `${first}:${end}`;
    let found = index.get(key);
    if (found === undefined) {
      found = windows.push([first, end]) - 1;
      index.set(key, found);
    }
    return found;
  };
  const gapWindows: [number, number][] = [[-1, -1]];
  for (let gap = 1; gap < count; gap++) {
    gapWindows.push([
      windowOf(Math.max(0, gap - SEMANTIC_WINDOW), gap),
      windowOf(gap, Math.min(count, gap + SEMANTIC_WINDOW)),
    ]);
  }
  return { starts: sentenceStarts, windows, gapWindows };
}

export function windowTexts(text: string, plan: SemanticPlan): string[] {
  const offset = (sentence: number) => plan.starts[sentence] ?? text.length;
  return plan.windows.map(([first, end]) => text.slice(offset(first), offset(end)));
}

/** Similarity across each gap (index g = before sentence g; index 0 is unused and NaN). */
export function gapSimilarities(plan: SemanticPlan, vectors: readonly Float32Array[]): Float64Array {
  const similarities = new Float64Array(plan.starts.length).fill(Number.NaN);
  for (let gap = 1; gap < plan.gapWindows.length; gap++) {
    const [left, right] = plan.gapWindows[gap] as readonly [number, number];
    similarities[gap] = cosineSimilarity(vectors[left] as Float32Array, vectors[right] as Float32Array);
  }
  return similarities;
}

/**
 * Gaps to cut at: below the threshold and the lowest point of their dip. Windows span
 * SEMANTIC_WINDOW sentences, so one topic change lowers the similarity of the gaps around it
 * too; cutting only at the local minimum (within the windows' reach) puts a single cut where
 * the change is sharpest instead of one at every blurred gap.
 */
export function topicCuts(similarities: Float64Array, threshold: number): number[] {
  const reach = SEMANTIC_WINDOW - 1;
  const cuts: number[] = [];
  for (let gap = 1; gap < similarities.length; gap++) {
    const value = similarities[gap] as number;
    if (!(value < threshold)) continue;
    let lowest = true;
    for (
      let other = Math.max(1, gap - reach);
      other <= Math.min(similarities.length - 1, gap + reach);
      other++
    ) {
      const neighbour = similarities[other] as number;
      // Ties go right, so a flat-bottomed dip is cut once, at its last gap.
      if (other < gap ? neighbour < value : other > gap && neighbour <= value) lowest = false;
    }
    if (lowest) cuts.push(gap);
  }
  return cuts;
}
