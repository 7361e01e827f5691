import { normalizeConfig } from './config.ts';
import { type ChunkingConfig, type StrategyName, strategyDefinitions } from './strategies/index.ts';

export interface StrategyInfo {
  name: StrategyName;
  description: string;
  bestFor: string[];
  /** The normalised config `chunk()` uses when only `{ strategy: name }` is given. */
  defaultConfig: ChunkingConfig;
}

/** The strategy catalog served by `chunking.strategies`. */
export function listStrategies(): StrategyInfo[] {
  return strategyDefinitions.map(({ name, description, bestFor }) => ({
    name,
    description,
    bestFor: [...bestFor],
    defaultConfig: normalizeConfig({ strategy: name }),
  }));
}
