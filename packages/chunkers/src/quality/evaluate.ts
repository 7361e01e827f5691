import type { Chunk } from '../types.ts';
import { type CharRange, intersectionLength, overlaps, totalLength, unionRanges } from './ranges.ts';

/** A labelled answer excerpt: character range in the chunked text, grouped by `query`. */
export interface Excerpt extends CharRange {
  /** Excerpts with the same query belong to one question; absent means one shared question. */
  query?: string;
}

export interface EvaluateOptions {
  /**
   * Chunk indices (positions in `chunks`) a retriever returned for each query. A query without
   * an entry is scored as if every chunk overlapping its excerpts was retrieved.
   */
  retrieved?: Readonly<Record<string, readonly number[]>>;
}

export interface RetrievalScores {
  recall: number;
  precision: number;
  iou: number;
  precisionOmega: number;
}

export interface QueryEvaluation extends RetrievalScores {
  query: string;
  /** How many chunks overlap the query's excerpts (the Ω set). */
  relevantChunks: number;
}

export interface Evaluation extends RetrievalScores {
  queries: QueryEvaluation[];
}

const sharedQuery = '';

function groupByQuery(excerpts: readonly Excerpt[]): Map<string, CharRange[]> {
  const groups = new Map<string, CharRange[]>();
  for (const excerpt of excerpts) {
    if (!(excerpt.end > excerpt.start && excerpt.start >= 0)) {
      throw new RangeError(`Excerpt [${excerpt.start}, ${excerpt.end}) is empty or negative`);
    }
    const key = excerpt.query ?? sharedQuery;
    const group = groups.get(key) ?? [];
    group.push({ start: excerpt.start, end: excerpt.end });
    groups.set(key, group);
  }
  return groups;
}

function scoreQuery(
  chunks: readonly CharRange[],
  query: string,
  excerpts: readonly CharRange[],
  retrievedIndices: readonly number[] | undefined,
): QueryEvaluation {
  const answer = unionRanges(excerpts);
  const answerLength = totalLength(answer);
  const omega = chunks.filter((chunk) => answer.some((excerpt) => overlaps(chunk, excerpt)));
  const retrieved =
    retrievedIndices?.map((index) => {
      const chunk = chunks[index];
      if (!chunk) throw new RangeError(`Retrieved chunk ${index} of query "${query}" does not exist`);
      return chunk;
    }) ?? omega;

  const retrievedCover = unionRanges(retrieved);
  const found = intersectionLength(answer, retrievedCover);
  const retrievedLength = totalLength(retrieved);
  const missed = answerLength - found;

  const omegaCover = unionRanges(omega);
  const omegaFound = intersectionLength(answer, omegaCover);
  const omegaDenominator = totalLength(omegaCover) + (answerLength - omegaFound);

  return {
    query,
    relevantChunks: omega.length,
    recall: found / answerLength,
    precision: retrievedLength === 0 ? 0 : found / retrievedLength,
    iou: found / (retrievedLength + missed),
    precisionOmega: omegaFound / omegaDenominator,
  };
}

const mean = (values: readonly number[]) =>
  values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;

/**
 * Token-level retrieval metrics of Chroma's "Evaluating Chunking Strategies for Retrieval"
 * (Smith & Troynikov, 2024), counted in characters. Per query, with E the union of its excerpts,
 * R the retrieved chunks (as a list) and Ω the chunks that overlap E by at least one character:
 *
 * - recall    = |E ∩ ∪R| / |E|
 * - precision = |E ∩ ∪R| / Σ_{r∈R} |r|  (each retrieved chunk counts in full, so overlap costs)
 * - IoU       = |E ∩ ∪R| / (Σ_{r∈R} |r| + |E \ ∪R|)
 * - Precision_Ω = |E ∩ ∪Ω| / |∪Ω ∪ E|  (the best precision any retriever with perfect recall
 *   could reach with these chunks; as in the reference code, Ω's characters count once)
 *
 * Results are per query and their unweighted means.
 */
export function evaluate(
  chunks: readonly Pick<Chunk, 'startOffset' | 'endOffset'>[],
  excerpts: readonly Excerpt[],
  options: EvaluateOptions = {},
): Evaluation {
  const ranges = chunks.map((chunk) => ({ start: chunk.startOffset, end: chunk.endOffset }));
  const queries = [...groupByQuery(excerpts)].map(([query, excerptRanges]) =>
    scoreQuery(ranges, query, excerptRanges, options.retrieved?.[query]),
  );
  return {
    recall: mean(queries.map((q) => q.recall)),
    precision: mean(queries.map((q) => q.precision)),
    iou: mean(queries.map((q) => q.iou)),
    precisionOmega: mean(queries.map((q) => q.precisionOmega)),
    queries,
  };
}
