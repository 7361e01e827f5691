import { InvalidConfigError } from '@chunkflow/errors';
import { z } from 'zod';
import { type BoundarySet, SortedBoundaries } from '../engine/boundaries.ts';
import { packRange } from '../engine/pack.ts';
import { chunkSizeSchema, MIN_CHUNK_SIZE } from '../options.ts';
import { IntList } from '../sizing/int-list.ts';
import type { CommonConfig, Span, StrategyContext, StrategyDefinition } from '../strategy.ts';
import { DEFAULT_SEPARATORS, separatorLevels } from './recursive.ts';

export interface HierarchicalConfig extends CommonConfig {
  strategy: 'hierarchical';
  /** Sizes from parent to child, strictly descending; `chunkSize` equals `levels[0]`. */
  levels: number[];
}

const options = {
  levels: z
    .array(chunkSizeSchema)
    .min(1)
    .max(4)
    .optional()
    .describe('hierarchical: parent → child sizes, descending'),
};

/** The given levels, or the parent size and a quarter of it; `chunkSize` names the parent size. */
function levelsFor(levels: number[] | undefined, chunkSize: number | undefined, defaultSize: number) {
  const parentSize = chunkSize ?? levels?.[0] ?? defaultSize;
  const sizes = levels ?? [parentSize, Math.max(MIN_CHUNK_SIZE, Math.floor(parentSize / 4))];
  for (let i = 1; i < sizes.length; i++) {
    if ((sizes[i] as number) >= (sizes[i - 1] as number)) {
      throw new InvalidConfigError('levels must be strictly descending', 'levels');
    }
  }
  if (chunkSize !== undefined && levels !== undefined && chunkSize !== sizes[0]) {
    throw new InvalidConfigError(
      'chunkSize must equal levels[0] (the parent size) when both are given',
      'chunkSize',
    );
  }
  return sizes;
}

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
export const hierarchicalStrategy: StrategyDefinition<HierarchicalConfig, typeof options, never> = {
  name: 'hierarchical',
  aliases: [],
  description:
    'Parent chunks of levels[0] split into children of the next levels, linked by metadata.parentIndex.',
  bestFor: ['small-to-big retrieval', 'long reports', 'books'],
  options,
  sizes: ({ levels }, chunkSize, defaultSize) => levelsFor(levels, chunkSize, defaultSize),
  normalize: (_options, sizes) => ({ levels: [...sizes] }),
  levelSizes: (config) => config.levels,
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
