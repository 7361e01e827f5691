import { analyzeContent, type ContentAnalysis } from '../analysis/analyze.ts';
import { planFor } from '../analysis/plan.ts';
import type { EmbedderSpec } from '../embedders/spec.ts';
import type { CommonConfig, Span, StrategyContext, StrategyDefinition } from '../strategy.ts';
import { codeStrategy } from './code.ts';
import { markdownStrategy } from './markdown.ts';
import { recursiveStrategy } from './recursive.ts';
import { semanticStrategy } from './semantic.ts';

export interface HybridConfig extends CommonConfig {
  strategy: 'hybrid';
  separators?: string[];
  headingLevels?: number[];
  language?: string;
  similarityThreshold?: number;
  embedder?: EmbedderSpec;
}

/** The keys of the strategies it may run (semantic's are accepted and kept, though none of its picks uses them). */
const options = {
  ...recursiveStrategy.options,
  ...markdownStrategy.options,
  ...codeStrategy.options,
  ...semanticStrategy.options,
};

/** The caller's own strategy-specific keys that apply to the picked strategy; they win over the plan's. */
function givenOptions(strategy: string, hybrid: HybridConfig): object {
  if (strategy === 'recursive' && hybrid.separators) return { separators: hybrid.separators };
  if (strategy === 'markdown' && hybrid.headingLevels) return { headingLevels: hybrid.headingLevels };
  if (strategy === 'code' && hybrid.language !== undefined) return { language: hybrid.language };
  return {};
}

/**
 * The config the hybrid strategy runs for an analysed document (before normalisation): the
 * caller's size, unit and tokenizer, plus the strategy-specific keys (`separators`,
 * `headingLevels`, `language`) it gave that apply to the pick.
 */
function pickFor(analysis: ContentAnalysis, hybrid: HybridConfig) {
  const { strategy, options, why } = planFor(analysis);
  const { chunkSize, chunkOverlap, sizeUnit, tokenizer } = hybrid;
  const given = givenOptions(strategy, hybrid);
  const input = { strategy, chunkSize, chunkOverlap, sizeUnit, tokenizer, ...options, ...given };
  return { input, reason: `${analysis.reason}; ${strategy}: ${why}` };
}

function delegate(context: StrategyContext<HybridConfig>) {
  if (context.strategies === undefined) {
    throw new Error('hybrid runs other strategies: call it through chunk, chunkAsync or chunkStream');
  }
  const analysis = analyzeContent(context.text);
  const { input, reason } = pickFor(analysis, context.config);
  const { config, strategy } = context.strategies.resolve(input);
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
 * picks the strategy and config for it (see `pickFor`) and runs it, found through the context's
 * `strategies`; every chunk's `metadata.hybrid` says which strategy ran and why.
 */
export const hybridStrategy: StrategyDefinition<HybridConfig, typeof options, never> = {
  name: 'hybrid',
  aliases: [],
  description:
    'Analyses the document (markdown, code, prose, structured) and picks the strategy and config for it.',
  bestFor: ['collections of mixed file types', 'unknown content'],
  options,
  normalize: ({ separators, headingLevels, language, similarityThreshold, embedder }) => ({
    ...(separators && { separators }),
    ...(headingLevels && { headingLevels }),
    ...(language !== undefined && { language }),
    ...(similarityThreshold !== undefined && { similarityThreshold }),
    ...(embedder && { embedder }),
  }),
  split(context) {
    const { strategy, context: picked, label } = delegate(context);
    return label(strategy.split(picked));
  },
  async splitAsync(context) {
    const { strategy, context: picked, label } = delegate(context);
    return label(strategy.splitAsync ? await strategy.splitAsync(picked) : strategy.split(picked));
  },
};
