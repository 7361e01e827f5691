import type { HierarchicalConfig } from '../config.ts';
import { DEFAULT_SEPARATORS } from '../config.ts';
import { packRange } from '../engine/pack.ts';
import type { ChunkingStrategy, Span, StrategyContext } from '../strategy.ts';
import { separatorLevels } from './recursive.ts';

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
    let parentsFrom = 0;
    childSizes.forEach((chunkSize, depth) => {
      const parentsTo = spans.length;
      // Separator scans move forward only; overlapping parents need their own.
      for (let parentIndex = parentsFrom; parentIndex < parentsTo; parentIndex++) {
        const parent = spans[parentIndex] as Span;
        const children = packRange(text, sizer, parent.start, parent.end, {
          chunkSize,
          chunkOverlap: 0,
          levels: separatorLevels(text, DEFAULT_SEPARATORS),
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
