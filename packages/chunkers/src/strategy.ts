import type { z } from 'zod';
import type { Embedder } from './embedders/embedder.ts';
import type { ChunkMetadata, EmbedSizeLimit, EmbedTemplate, SizeUnit, TokenizerName } from './types.ts';

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
  signal?: AbortSignal | undefined;
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

/** The keys of a normalised config that every strategy has. */
export interface CommonConfig {
  chunkSize: number;
  chunkOverlap: number;
  sizeUnit: SizeUnit;
  tokenizer: TokenizerName;
  // Set by `normalizeConfig`; absent (configs built by hand) means the defaults below.
  /** Pieces smaller than this merge with a neighbour; 0 (default) = off. */
  minChunkSize?: number;
  /** Default `title-headings`. */
  embedTemplate?: EmbedTemplate;
  /** Default `content`. */
  embedSizeLimit?: EmbedSizeLimit;
}

/** A normalised config of some strategy; each strategy's own config type adds its keys. */
export interface StrategyConfig extends CommonConfig {
  strategy: string;
}

/**
 * Runs a config's strategy: handed in the context to a strategy that runs another (hybrid), so
 * that no strategy module imports the list of strategies.
 */
export interface StrategyResolver {
  /** `input` validated and completed as `normalizeConfig` does, with the strategy it names. */
  resolve(input: object): { config: StrategyConfig; strategy: ChunkingStrategy<StrategyConfig> };
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
  /** Present when called through `chunk`, `chunkAsync` or `chunkStream`. */
  strategies?: StrategyResolver;
}

/** One strategy: pure, deterministic, turns text into ordered spans that each fit the size. */
export interface ChunkingStrategy<Config = unknown> {
  readonly name: string;
  split(context: StrategyContext<Config>): Span[];
  /** For strategies that may call out (e.g. an HTTP embedder); `chunkAsync` prefers it. */
  splitAsync?(context: StrategyContext<Config>): Promise<Span[]>;
}

/** The options shape of a strategy with no keys of its own. */
export type NoOptions = Record<never, never>;

/** The keys a strategy adds to the common ones. */
export type OwnKeys<Config extends StrategyConfig> = Omit<Config, keyof StrategyConfig>;

/**
 * Everything about one strategy, in its own module: the engine's registry, the catalogue, the
 * config schema, its parameter schema and the strategy names are all built from the list of these
 * (strategies/index.ts).
 */
export interface StrategyDefinition<
  Config extends StrategyConfig = StrategyConfig,
  Options extends z.core.$ZodShape = z.core.$ZodShape,
  Aliases extends string = string,
> extends ChunkingStrategy<Config> {
  readonly name: Config['strategy'];
  /** Other names a config may give it by; literal (`never` for none), so clients' types know them. */
  readonly aliases: readonly Aliases[];
  readonly description: string;
  readonly bestFor: readonly string[];
  /**
   * Its own config keys, beside the common ones, as optional zod fields; a key several strategies
   * accept is one field (hybrid reuses the others').
   */
  readonly options: Options;
  /**
   * The sizes its chunks are cut to, largest first, from the `chunkSize` given (if any), the
   * unit's default size and its options; `[chunkSize]` when absent. The first becomes the config's
   * `chunkSize`, the last bounds `chunkOverlap`.
   */
  sizes?(
    options: z.output<z.ZodObject<Options>>,
    chunkSize: number | undefined,
    defaultSize: number,
  ): number[];
  /** Its own keys of the normalised config, defaults filled in, from its validated options. */
  normalize(options: z.output<z.ZodObject<Options>>, sizes: readonly number[]): OwnKeys<Config>;
  /**
   * The chunk size of each level of its output, parent first, for a strategy whose chunks nest;
   * one level of `chunkSize` when absent. Output budgets and estimates allow for every level.
   */
  levelSizes?(config: Config): readonly number[];
}
