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

/** Windows embedded per batch: with the few a later gap still needs, all the vectors held at once. */
export const EMBED_BATCH_WINDOWS = 128;

function windowTexts(text: string, plan: SemanticPlan, from: number, to: number): string[] {
  const offset = (sentence: number) => plan.starts[sentence] ?? text.length;
  return plan.windows.slice(from, to).map(([first, end]) => text.slice(offset(first), offset(end)));
}

/**
 * Similarity across each gap (index g = before sentence g; index 0 is unused and NaN), computed
 * while the windows are embedded: the generator yields the texts of each batch of windows and is
 * given their vectors back, and keeps only the vectors a later gap still needs. Memory so stays
 * at about EMBED_BATCH_WINDOWS vectors, whatever the text's length (a window per sentence) or the
 * embedder's dimensions.
 */
export function* gapSimilarities(
  text: string,
  plan: SemanticPlan,
): Generator<string[], Float64Array, readonly Float32Array[]> {
  const { windows, gapWindows } = plan;
  const lastUse = new Int32Array(windows.length);
  for (let gap = 1; gap < gapWindows.length; gap++) {
    for (const window of gapWindows[gap] as readonly number[]) lastUse[window] = gap;
  }
  const similarities = new Float64Array(plan.starts.length).fill(Number.NaN);
  const vectors = new Map<number, Float32Array>();
  let embedded = 0;
  for (let gap = 1; gap < gapWindows.length; gap++) {
    const [left, right] = gapWindows[gap] as readonly [number, number];
    // Windows are planned gap by gap, so a batch in plan order reaches this gap's windows.
    while (embedded <= Math.max(left, right)) {
      const end = Math.min(windows.length, embedded + EMBED_BATCH_WINDOWS);
      const batch = yield windowTexts(text, plan, embedded, end);
      for (let i = 0; i < batch.length; i++) vectors.set(embedded + i, batch[i] as Float32Array);
      embedded = end;
    }
    similarities[gap] = cosineSimilarity(
      vectors.get(left) as Float32Array,
      vectors.get(right) as Float32Array,
    );
    if (lastUse[left] === gap) vectors.delete(left);
    if (lastUse[right] === gap) vectors.delete(right);
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
