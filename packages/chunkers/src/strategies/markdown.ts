import type { MarkdownConfig } from '../config.ts';
import { type BoundarySet, SeparatorBoundaries, SortedBoundaries } from '../engine/boundaries.ts';
import { packRange } from '../engine/pack.ts';
import type { ChunkingStrategy, Span, StrategyContext } from '../strategy.ts';
import { scanMarkdown } from './markdown-structure.ts';

/** Sentence ends inside a paragraph: Latin (". ", "? ", "! ") and CJK full stops. */
const SENTENCE_SEPARATORS = ['. ', '? ', '! ', '。', '？', '！'];

/**
 * One section per configured heading level, never merged, so every chunk's `metadata.headings`
 * is exact. Inside a section the packer prefers, in order: block starts (blank lines, fences,
 * tables), list items, lines, then fence lines and table rows (only reached when a fence or
 * table alone exceeds the size), then sentences, words and characters. Overlap starts only at
 * block, item or line starts, so it never begins inside a fence or table.
 */
export const markdownStrategy: ChunkingStrategy<MarkdownConfig> = {
  name: 'markdown',
  split({ text, config, sizer, carry, meter }: StrategyContext<MarkdownConfig>): Span[] {
    const structure = scanMarkdown(text, config.headingLevels, carry?.headingPath);
    if (carry) carry.headingPath = structure.headingStack;
    const levels: BoundarySet[] = [
      new SortedBoundaries(structure.blockStarts),
      new SortedBoundaries(structure.itemStarts),
      new SortedBoundaries(structure.lineStarts),
      new SortedBoundaries(structure.rowStarts),
      ...SENTENCE_SEPARATORS.map((separator) => new SeparatorBoundaries(text, separator)),
      new SeparatorBoundaries(text, ' '),
    ];
    const spans: Span[] = [];
    for (const section of structure.sections) {
      const metadata = { headings: section.headings };
      const packed = packRange(text, sizer, section.start, section.end, {
        chunkSize: config.chunkSize,
        chunkOverlap: config.chunkOverlap,
        levels,
        overlapLevels: 3,
        trim: true,
        meter,
      });
      for (const { start, end } of packed) spans.push({ start, end, metadata });
    }
    return spans;
  },
};
