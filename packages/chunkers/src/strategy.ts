import type { Embedder } from './embedders/embedder.ts';
import type { ChunkMetadata, StrategyName } from './types.ts';

/** A half-open range [start, end) of JS string indices into the input, plus strategy metadata. */
export interface Span {
  start: number;
  end: number;
  metadata?: ChunkMetadata;
}

/**
 * Measures spans of one input in the configured unit (chars or tokens of one encoding).
 * Implementations precompute once per input (e.g. token boundaries + prefix sums) so every
 * query is cheap; strategies never re-tokenize candidate chunks.
 */
export interface Sizer {
  readonly unit: 'chars' | 'tokens';
  /** Size of text.slice(start, end) in the configured unit. */
  measure(start: number, end: number): number;
  /**
   * Largest end in (start, limit] whose span fits `maxSize`, never splitting a surrogate pair; > start.
   * Exact for chars; for tokens the largest fitting end among the text's token boundaries (BPE counts
   * are not monotone in the end offset, so "largest" is over those candidates).
   */
  fitEnd(start: number, limit: number, maxSize: number): number;
  /** Smallest start in [limit, end] whose span fits `maxSize`, never splitting a surrogate pair (end when 0). */
  fitStart(end: number, limit: number, maxSize: number): number;
  /** Exact token count of text.slice(start, end) under the configured tokenizer. */
  tokenCount(start: number, end: number): number;
}

/** What a caller of `chunk` may supply beyond the config. */
export interface ChunkOptions {
  /**
   * Stops the run: looked at between segments and every few hundred chunks (and passed to remote
   * embedders); an aborted run throws the signal's reason.
   */
  signal?: AbortSignal;
}

/** What a caller of `chunkAsync` may supply beyond the config. */
export interface ChunkAsyncOptions extends ChunkOptions {
  /** Overrides the embedder the config describes (e.g. one holding a secret key or a shared client). */
  embedder?: Embedder;
}

/**
 * What a strategy hands from one segment of a document to the next (long documents are chunked
 * in segments, see segments.ts): context that outlives a segment, like markdown's heading path.
 */
export interface CarriedState {
  headingPath?: { level: number; text: string }[];
}

/**
 * Told about every span as a strategy produces it (before the next is computed): it throws to stop
 * the run, when the output passes its budget or the caller's signal is aborted.
 */
export interface SpanMeter {
  count(start: number, end: number): void;
}

export interface StrategyContext<Config> {
  /** The segment being chunked; span offsets are relative to it. */
  text: string;
  config: Config;
  sizer: Sizer;
  /** Present when called through `chunkAsync`. */
  options?: ChunkAsyncOptions;
  /** Shared by the segments of one document, in order. */
  carry?: CarriedState;
  /** Strategies pass every span they produce through it (`packRange` does, given it). */
  meter?: SpanMeter;
}

/** One strategy: pure, deterministic, turns text into ordered spans that each fit the size. */
export interface ChunkingStrategy<Config = unknown> {
  readonly name: StrategyName;
  split(context: StrategyContext<Config>): Span[];
  /** For strategies that may call out (e.g. an HTTP embedder); `chunkAsync` prefers it. */
  splitAsync?(context: StrategyContext<Config>): Promise<Span[]>;
}
