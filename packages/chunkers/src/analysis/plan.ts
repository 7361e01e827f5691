import type { ContentAnalysis } from './analyze.ts';
import type { StructuredFormat } from './detect-structured.ts';

/** Record formats: one record per line, never cut inside a row unless it alone exceeds the size. */
const rowFormats: ReadonlySet<StructuredFormat> = new Set(['jsonl', 'csv', 'tsv', 'log']);

export interface StrategyPlan {
  strategy: 'markdown' | 'code' | 'recursive' | 'sentence';
  /** Its strategy-specific keys. */
  options: object;
  why: string;
}

/**
 * The strategy and options a content kind is best chunked with, before size settings apply: what
 * both `recommend` and the hybrid strategy pick.
 */
export function planFor(analysis: ContentAnalysis): StrategyPlan {
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
