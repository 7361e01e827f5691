import { normalizeConfig } from '../config.ts';
import type { ChunkingConfig } from '../strategies/index.ts';
import { analyzeContent, type ContentAnalysis } from './analyze.ts';
import { planFor } from './plan.ts';

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

/** Size settings suited to each kind when the caller gives none (characters). */
const suggestedSizes: Record<ContentAnalysis['kind'], { chunkSize: number; chunkOverlap: number }> = {
  prose: { chunkSize: 1000, chunkOverlap: 200 },
  markdown: { chunkSize: 1000, chunkOverlap: 100 },
  code: { chunkSize: 1500, chunkOverlap: 150 },
  structured: { chunkSize: 1000, chunkOverlap: 0 },
};

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
  const { strategy, options, why } = planFor(analysis);
  const config = normalizeConfig({ strategy, ...suggestedSizes[analysis.kind], ...options });
  return {
    strategy,
    config,
    reason: `${analysis.reason}; ${strategy}: ${why}`,
    confidence: analysis.confidence,
    analysis,
  };
}
