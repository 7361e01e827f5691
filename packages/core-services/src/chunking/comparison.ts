import type { Chunk, ChunkingConfig, ChunkMetrics } from '@chunkflow/chunkers';

export interface StrategyScore {
  /** 0–1, higher is better. */
  score: number;
  boundary: number;
  regularity: number;
  fill: number;
  coverage: number;
}

/**
 * A retrieval-oriented heuristic over a result's metrics, in the config's own size unit:
 * chunks that end on sentence/paragraph boundaries (weight 0.45), have regular sizes
 * (1 / (1 + coefficient of variation), 0.25), use the size budget (mean / chunkSize, 0.2) and
 * cover the text (0.1). It ranks cuts of one document; it is not an absolute quality measure.
 */
export function scoreChunking(metrics: ChunkMetrics, config: ChunkingConfig): StrategyScore {
  const sizes = config.sizeUnit === 'tokens' ? metrics.tokens : metrics.chars;
  const boundary = 0.6 * metrics.sentenceBoundaryRatio + 0.4 * metrics.paragraphBoundaryRatio;
  const variation = sizes.mean === 0 ? 1 : Math.sqrt(sizes.variance) / sizes.mean;
  const regularity = 1 / (1 + variation);
  const fill = Math.min(1, sizes.mean / config.chunkSize);
  const coverage = metrics.coverage;
  const score = 0.45 * boundary + 0.25 * regularity + 0.2 * fill + 0.1 * coverage;
  return {
    score: round(score),
    boundary: round(boundary),
    regularity: round(regularity),
    fill: round(fill),
    coverage: round(coverage),
  };
}

export interface ScoredCandidate {
  strategy: string;
  score: StrategyScore;
}

/** The best-scoring candidate and a sentence saying why, naming the factor that decided it. */
export function recommendFrom(candidates: readonly ScoredCandidate[]): { strategy: string; reason: string } {
  const ranked = [...candidates].sort((a, b) => b.score.score - a.score.score);
  const [best, runnerUp] = ranked;
  if (!best) throw new RangeError('no candidates to recommend from');
  if (!runnerUp) return { strategy: best.strategy, reason: `${best.strategy} is the only candidate` };
  const factors = ['boundary', 'regularity', 'fill', 'coverage'] as const;
  const decisive = factors.reduce((top, factor) =>
    best.score[factor] - runnerUp.score[factor] > best.score[top] - runnerUp.score[top] ? factor : top,
  );
  const labels = {
    boundary: 'more chunks end on sentence or paragraph boundaries',
    regularity: 'chunk sizes are more even',
    fill: 'chunks use more of the size budget',
    coverage: 'it covers more of the text',
  };
  return {
    strategy: best.strategy,
    reason: `${best.strategy} scores ${best.score.score} vs ${runnerUp.strategy} ${runnerUp.score.score}: ${labels[decisive]}`,
  };
}

export function sampleChunksOf<C extends Chunk>(chunks: readonly C[], size: number): C[] {
  return chunks.slice(0, size);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
