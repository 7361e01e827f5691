import { analyzeContent } from '../analysis/analyze.ts';
import { pickFor } from '../analysis/recommend.ts';
import type { ChunkingConfig, HybridConfig } from '../config.ts';
import type { ChunkingStrategy, Span, StrategyContext } from '../strategy.ts';
import { strategyRegistry } from './index.ts';

function delegate(context: StrategyContext<HybridConfig>) {
  const analysis = analyzeContent(context.text);
  const { config, reason } = pickFor(analysis, context.config);
  // Looked up when called, so the registry (which lists this strategy too) is complete by then.
  const strategy = strategyRegistry[config.strategy] as ChunkingStrategy<ChunkingConfig> | undefined;
  if (strategy === undefined) throw new Error(`hybrid picked ${config.strategy}, which is not registered`);
  const hybrid = {
    strategy: config.strategy,
    kind: analysis.kind,
    ...(analysis.language && { language: analysis.language }),
    ...(analysis.format && { format: analysis.format }),
    confidence: analysis.confidence,
    reason,
  };
  const label = (spans: Span[]) => {
    for (const span of spans) span.metadata = { ...span.metadata, hybrid };
    return spans;
  };
  return { strategy, context: { ...context, config }, label };
}

/**
 * `hybrid`: analyses the document (markdown, code and its language, structured data, prose),
 * picks the strategy and config for it (see `pickFor`) and runs it; every chunk's
 * `metadata.hybrid` says which strategy ran and why.
 */
export const hybridStrategy: ChunkingStrategy<HybridConfig> = {
  name: 'hybrid',
  split(context) {
    const { strategy, context: picked, label } = delegate(context);
    return label(strategy.split(picked));
  },
  async splitAsync(context) {
    const { strategy, context: picked, label } = delegate(context);
    return label(strategy.splitAsync ? await strategy.splitAsync(picked) : strategy.split(picked));
  },
};
