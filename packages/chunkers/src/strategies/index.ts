import type { ConfigFor } from '../config.ts';
import type { ChunkingStrategy } from '../strategy.ts';
import type { StrategyName } from '../types.ts';
import { codeStrategy } from './code.ts';
import { fixedStrategy } from './fixed.ts';

export type StrategyRegistry = { [S in StrategyName]?: ChunkingStrategy<ConfigFor<S>> };

/** Every strategy `chunk()` can dispatch to: one line each. */
export const strategyRegistry: StrategyRegistry = {
  fixed: fixedStrategy,
  code: codeStrategy,
};
