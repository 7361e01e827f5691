import type { RecursiveConfig } from '../config.ts';
import { type BoundarySet, SeparatorBoundaries } from '../engine/boundaries.ts';
import { packRange } from '../engine/pack.ts';
import type { ChunkingStrategy, Span, StrategyContext } from '../strategy.ts';

/** One boundary kind per separator, in order, up to `''` (= anywhere, the packer's fallback). */
export function separatorLevels(text: string, separators: readonly string[]): BoundarySet[] {
  const levels: BoundarySet[] = [];
  for (const separator of separators) {
    if (separator === '') break;
    levels.push(new SeparatorBoundaries(text, separator));
  }
  return levels;
}

/**
 * Splits on the first separator that occurs (paragraphs, then lines, sentences, words,
 * characters), packs the pieces up to `chunkSize` and overlaps whole pieces: LangChain's
 * RecursiveCharacterTextSplitter, computed on offsets in one forward pass.
 */
export const recursiveStrategy: ChunkingStrategy<RecursiveConfig> = {
  name: 'recursive',
  split({ text, config, sizer, meter }: StrategyContext<RecursiveConfig>): Span[] {
    const levels = separatorLevels(text, config.separators);
    return packRange(text, sizer, 0, text.length, {
      chunkSize: config.chunkSize,
      chunkOverlap: config.chunkOverlap,
      levels,
      overlapLevels: levels.length,
      trim: true,
      meter,
    });
  },
};
