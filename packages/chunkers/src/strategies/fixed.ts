import type { CommonConfig, NoOptions, Span, StrategyContext, StrategyDefinition } from '../strategy.ts';
import { nextCodePoint } from '../text/code-units.ts';

export interface FixedConfig extends CommonConfig {
  strategy: 'fixed';
}

/** Sliding windows of `chunkSize`, each starting so that it shares at most `chunkOverlap` with the last. */
export const fixedStrategy: StrategyDefinition<
  FixedConfig,
  NoOptions,
  'fixed_size' | 'character' | 'sliding_window'
> = {
  name: 'fixed',
  aliases: ['fixed_size', 'character', 'sliding_window'],
  description: 'Sliding windows of exactly chunkSize (chars or tokens) with chunkOverlap; ignores structure.',
  bestFor: ['uniform token budgets', 'logs', 'text without structure'],
  options: {},
  normalize: () => ({}),
  split({ text, config, sizer, meter }: StrategyContext<FixedConfig>): Span[] {
    const spans: Span[] = [];
    let start = 0;
    while (start < text.length) {
      const end = sizer.fitEnd(start, text.length, config.chunkSize);
      meter?.count(start, end);
      spans.push({ start, end });
      if (end >= text.length) break;
      // Always advance by at least one code point, even when the overlap would allow standing still.
      start = sizer.fitStart(end, nextCodePoint(text, start), config.chunkOverlap);
    }
    return spans;
  },
};
