import { z } from 'zod';
import { type BoundarySet, SeparatorBoundaries } from '../engine/boundaries.ts';
import { packRange } from '../engine/pack.ts';
import type { CommonConfig, Span, StrategyContext, StrategyDefinition } from '../strategy.ts';

export interface RecursiveConfig extends CommonConfig {
  strategy: 'recursive';
  /** Tried in order; `''` means "between any two characters". */
  separators: string[];
}

/** Paragraphs (LF, then CRLF) → lines → sentences (Latin and CJK) → words → characters. */
export const DEFAULT_SEPARATORS: readonly string[] = [
  '\n\n',
  '\r\n\r\n',
  '\n',
  '. ',
  '? ',
  '! ',
  '。',
  '？',
  '！',
  ' ',
  '',
];

const options = {
  separators: z
    .array(z.string().max(64))
    .min(1)
    .max(32)
    .optional()
    .describe('recursive: separator hierarchy'),
};

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
export const recursiveStrategy: StrategyDefinition<RecursiveConfig, typeof options, never> = {
  name: 'recursive',
  aliases: [],
  description:
    'Splits on a separator hierarchy (paragraphs, lines, sentences, words, characters) and packs pieces up to chunkSize, overlapping whole pieces.',
  bestFor: ['general prose', 'mixed documents', 'a sound default'],
  options,
  normalize: ({ separators }) => ({ separators: separators ?? [...DEFAULT_SEPARATORS] }),
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
