import { z } from 'zod';
import { type BoundarySet, SeparatorBoundaries, SortedBoundaries } from '../engine/boundaries.ts';
import { packRange } from '../engine/pack.ts';
import type { CommonConfig, Span, StrategyContext, StrategyDefinition } from '../strategy.ts';
import { scanMarkdown } from './markdown-structure.ts';

export interface MarkdownConfig extends CommonConfig {
  strategy: 'markdown';
  /** ATX heading levels that start a new section. */
  headingLevels: number[];
}

const DEFAULT_HEADING_LEVELS: readonly number[] = [1, 2, 3];

const options = {
  headingLevels: z.array(z.number().int().min(1).max(6)).min(1).max(6).optional().describe('markdown'),
};

/** Sentence ends inside a paragraph: Latin (". ", "? ", "! ") and CJK full stops. */
const SENTENCE_SEPARATORS = ['. ', '? ', '! ', '。', '？', '！'];

/**
 * One section per configured heading level, never merged, so every chunk's `metadata.headings`
 * is exact. Inside a section the packer prefers, in order: block starts (blank lines, fences,
 * tables), list items, lines, then fence lines and table rows (only reached when a fence or
 * table alone exceeds the size), then sentences, words and characters. Overlap starts only at
 * block, item or line starts, so it never begins inside a fence or table.
 */
export const markdownStrategy: StrategyDefinition<MarkdownConfig, typeof options, 'document_structure'> = {
  name: 'markdown',
  aliases: ['document_structure'],
  description:
    'One section per heading (headingLevels); never cuts inside a code fence or table row unless it alone exceeds chunkSize; metadata.headings holds the heading path.',
  bestFor: ['Markdown', 'documentation', 'READMEs'],
  options,
  normalize: ({ headingLevels }) => ({
    headingLevels: [...new Set(headingLevels ?? DEFAULT_HEADING_LEVELS)].sort((a, b) => a - b),
  }),
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
