import type { HierarchicalConfig } from '../config.ts';
import { DEFAULT_SEPARATORS } from '../config.ts';
import { type BoundarySet, SortedBoundaries } from '../engine/boundaries.ts';
import { packRange } from '../engine/pack.ts';
import { IntList } from '../sizing/int-list.ts';
import type { ChunkingStrategy, Span, StrategyContext } from '../strategy.ts';
import { separatorLevels } from './recursive.ts';

/** Every boundary (the offset after each occurrence, overlapping ones too) of each separator. */
function allSeparatorLevels(text: string, separators: readonly string[]): BoundarySet[] {
  const levels: BoundarySet[] = [];
  for (const separator of separators) {
    if (separator === '') break;
    const offsets = new IntList(64);
    for (let at = text.indexOf(separator); at >= 0; at = text.indexOf(separator, at + 1)) {
      offsets.push(at + separator.length);
    }
    levels.push(new SortedBoundaries(offsets.view()));
  }
  return levels;
}

/**
 * Parents of `levels[0]` cut like `recursive` (with `chunkOverlap`); each parent is then tiled by
 * children of the next size, cut on the same separators without overlap or trimming, so the
 * children of a parent cover it exactly. Output is breadth-first: all level-0 chunks, then level 1, …;
 * `metadata.parentIndex` is the index of the parent in that same list.
 */
export const hierarchicalStrategy: ChunkingStrategy<HierarchicalConfig> = {
  name: 'hierarchical',
  split({ text, config, sizer, meter }: StrategyContext<HierarchicalConfig>): Span[] {
    const [topSize, ...childSizes] = config.levels;
    const topLevels = separatorLevels(text, DEFAULT_SEPARATORS);
    const top = packRange(text, sizer, 0, text.length, {
      chunkSize: topSize ?? config.chunkSize,
      chunkOverlap: config.chunkOverlap,
      levels: topLevels,
      overlapLevels: topLevels.length,
      trim: true,
      meter,
    });
    const spans: Span[] = top.map(({ start, end }) => ({ start, end, metadata: { level: 0 } }));
    // Parents overlap, so children look back: one sorted set per separator serves every parent
    // (a forward-only scan per parent searched the rest of the text again for absent separators).
    const childLevels = childSizes.length > 0 ? allSeparatorLevels(text, DEFAULT_SEPARATORS) : [];
    let parentsFrom = 0;
    childSizes.forEach((chunkSize, depth) => {
      const parentsTo = spans.length;
      for (let parentIndex = parentsFrom; parentIndex < parentsTo; parentIndex++) {
        const parent = spans[parentIndex] as Span;
        const children = packRange(text, sizer, parent.start, parent.end, {
          chunkSize,
          chunkOverlap: 0,
          levels: childLevels,
          overlapLevels: 0,
          trim: false,
          meter,
        });
        for (const { start, end } of children)
          spans.push({ start, end, metadata: { level: depth + 1, parentIndex } });
      }
      parentsFrom = parentsTo;
    });
    return spans;
  },
};
