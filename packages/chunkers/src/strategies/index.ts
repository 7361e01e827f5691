import type { StrategyDefinition } from '../strategy.ts';
import { codeStrategy } from './code.ts';
import { fixedStrategy } from './fixed.ts';
import { hierarchicalStrategy } from './hierarchical.ts';
import { hybridStrategy } from './hybrid.ts';
import { markdownStrategy } from './markdown.ts';
import { recursiveStrategy } from './recursive.ts';
import { semanticStrategy } from './semantic.ts';
import { sentenceStrategy } from './sentence.ts';

/**
 * Every strategy, in catalogue order: one line each. The names, the config types and schemas, the
 * registry and the catalogue are all built from this list.
 */
export const strategyDefinitions = [
  fixedStrategy,
  recursiveStrategy,
  markdownStrategy,
  sentenceStrategy,
  codeStrategy,
  semanticStrategy,
  hierarchicalStrategy,
  hybridStrategy,
] as const;

type Definition = (typeof strategyDefinitions)[number];
type ConfigOf<D> = D extends StrategyDefinition<infer Config, infer _Options> ? Config : never;

export type StrategyName = Definition['name'];
export const strategyNames: readonly StrategyName[] = strategyDefinitions.map(
  (definition) => definition.name,
);

/** A normalised config: what every strategy receives, complete and checked. */
export type ChunkingConfig = ConfigOf<Definition>;
export type ConfigFor<S extends StrategyName> = Extract<ChunkingConfig, { strategy: S }>;

export type StrategyRegistry = { readonly [D in Definition as D['name']]: D };

/** Every strategy `chunk()` can dispatch to, by name. */
export const strategyRegistry = Object.fromEntries(
  strategyDefinitions.map((definition) => [definition.name, definition]),
) as StrategyRegistry;

/** The chunk size of each level a config's output comes in, parent first (see `levelSizes`). */
export function levelSizesOf(config: ChunkingConfig): readonly number[] {
  const definition: StrategyDefinition = strategyRegistry[config.strategy];
  return definition.levelSizes?.(config) ?? [config.chunkSize];
}
