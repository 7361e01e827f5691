import type { ConfigFor } from '../config.ts';
import type { ChunkingStrategy } from '../strategy.ts';
import type { StrategyName } from '../types.ts';
import { codeStrategy } from './code.ts';
import { fixedStrategy } from './fixed.ts';
import { hierarchicalStrategy } from './hierarchical.ts';
import { hybridStrategy } from './hybrid.ts';
import { markdownStrategy } from './markdown.ts';
import { recursiveStrategy } from './recursive.ts';
import { semanticStrategy } from './semantic.ts';
import { sentenceStrategy } from './sentence.ts';

export type StrategyRegistry = { [S in StrategyName]?: ChunkingStrategy<ConfigFor<S>> };

/** Every strategy `chunk()` can dispatch to: one line each. */
export const strategyRegistry: StrategyRegistry = {
  fixed: fixedStrategy,
  recursive: recursiveStrategy,
  markdown: markdownStrategy,
  sentence: sentenceStrategy,
  hierarchical: hierarchicalStrategy,
  code: codeStrategy,
  semantic: semanticStrategy,
  hybrid: hybridStrategy,
};
