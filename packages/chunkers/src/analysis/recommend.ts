import { type ChunkingConfig, type HybridConfig, normalizeConfig } from '../config.ts';
import { analyzeContent, type ContentAnalysis } from './analyze.ts';
import type { StructuredFormat } from './detect-structured.ts';

/** Whatever a caller knows about a document: its type, its text, or both. */
export interface RecommendInput {
  fileType?: string;
  content?: string;
}

export interface Recommendation {
  strategy: ChunkingConfig['strategy'];
  /** A complete, validated config for that strategy. */
  config: ChunkingConfig;
  reason: string;
  /** 0–1, from the analysis. */
  confidence: number;
  /** What the analysis saw; absent when there was nothing to analyse. */
  analysis?: ContentAnalysis;
}

/** Record formats: one record per line, never cut inside a row unless it alone exceeds the size. */
const rowFormats: ReadonlySet<StructuredFormat> = new Set(['jsonl', 'csv', 'tsv', 'log']);

/** The options a content kind is best chunked with, before the caller's size settings apply. */
function plan(analysis: ContentAnalysis): {
  strategy: ChunkingConfig['strategy'];
  options: object;
  why: string;
} {
  switch (analysis.kind) {
    case 'markdown':
      return { strategy: 'markdown', options: {}, why: 'sections by heading keep topics whole' };
    case 'code':
      return {
        strategy: 'code',
        options: { language: analysis.language },
        why: 'syntax boundaries keep functions and classes whole',
      };
    case 'structured':
      return rowFormats.has(analysis.format ?? 'log')
        ? {
            strategy: 'recursive',
            options: { separators: ['\n', ''] },
            why: 'one record per line: cut between rows',
          }
        : {
            strategy: 'recursive',
            options: { separators: ['\n\n', '\n', ' ', ''] },
            why: 'nested data: cut between blocks, then lines',
          };
    default:
      return { strategy: 'sentence', options: {}, why: 'whole sentences keep statements intact' };
  }
}

/** Size settings suited to each kind when the caller gives none (characters). */
const suggestedSizes: Record<ContentAnalysis['kind'], { chunkSize: number; chunkOverlap: number }> = {
  prose: { chunkSize: 1000, chunkOverlap: 200 },
  markdown: { chunkSize: 1000, chunkOverlap: 100 },
  code: { chunkSize: 1500, chunkOverlap: 150 },
  structured: { chunkSize: 1000, chunkOverlap: 0 },
};

/** The caller's own strategy-specific keys that apply to the picked strategy; they win over the plan's. */
function givenOptions(strategy: ChunkingConfig['strategy'], hybrid: HybridConfig): object {
  if (strategy === 'recursive' && hybrid.separators) return { separators: hybrid.separators };
  if (strategy === 'markdown' && hybrid.headingLevels) return { headingLevels: hybrid.headingLevels };
  if (strategy === 'code' && hybrid.language !== undefined) return { language: hybrid.language };
  return {};
}

/**
 * The strategy and config the hybrid strategy uses for an analysed document: the caller's size,
 * unit and tokenizer, plus the strategy-specific keys (`separators`, `headingLevels`, `language`)
 * it gave that apply to the pick.
 */
export function pickFor(
  analysis: ContentAnalysis,
  hybrid: HybridConfig,
): { config: ChunkingConfig; reason: string } {
  const { strategy, options, why } = plan(analysis);
  const { chunkSize, chunkOverlap, sizeUnit, tokenizer } = hybrid;
  const given = givenOptions(strategy, hybrid);
  const config = normalizeConfig({
    strategy,
    chunkSize,
    chunkOverlap,
    sizeUnit,
    tokenizer,
    ...options,
    ...given,
  });
  return { config, reason: `${analysis.reason}; ${strategy}: ${why}` };
}

/** Strategy and suggested config for a document, from the same analysis the hybrid strategy uses. */
export function recommend(input: RecommendInput): Recommendation {
  if (input.content === undefined && input.fileType === undefined) {
    return {
      strategy: 'recursive',
      config: normalizeConfig({ strategy: 'recursive' }),
      reason: 'nothing to analyse: recursive is the general-purpose default',
      confidence: 0.3,
    };
  }
  const analysis = analyzeContent(input.content ?? '', input.fileType);
  const { strategy, options, why } = plan(analysis);
  const config = normalizeConfig({ strategy, ...suggestedSizes[analysis.kind], ...options });
  return {
    strategy,
    config,
    reason: `${analysis.reason}; ${strategy}: ${why}`,
    confidence: analysis.confidence,
    analysis,
  };
}
