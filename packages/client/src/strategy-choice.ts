import type { StrategyChoice } from './index.ts';

/**
 * A strategy chosen at run time (from `chunking.strategies`, a form, an operation or preset the
 * server stored) with its config, typed as the procedures take it. The compiler cannot check such
 * a name or its keys; the server does, and refuses an unknown one with INVALID_CONFIG naming it.
 * A strategy written in code needs no helper: `{ strategy: 'markdown', config: { … } }` is checked
 * as it stands.
 */
export function strategyChoice(strategy: string, config?: Record<string, unknown>): StrategyChoice {
  return (config === undefined ? { strategy } : { strategy, config }) as StrategyChoice;
}
