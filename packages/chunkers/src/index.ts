export { analyzeContent, type ContentAnalysis, type ContentKind } from './analysis/analyze.ts';
export { type Recommendation, type RecommendInput, recommend } from './analysis/recommend.ts';
export * from './catalog.ts';
export { chunk, chunkAsync, chunkNormalizedAsync, chunkNormalizedSegments } from './chunk.ts';
export * from './config.ts';
export * from './embedders/index.ts';
export {
  CHUNK_OVERHEAD_CHARS,
  estimateOutputChars,
  MAX_OUTPUT_FACTOR,
  OUTPUT_ALLOWANCE_CHARS,
  outputLimitChars,
} from './output-budget.ts';
export * from './quality/index.ts';
export { embedHeader, type HeaderParts } from './retrieval/embed-header.ts';
export {
  chunkForEmbedding,
  type EmbedContext,
  type EmbedOptions,
  withEmbedText,
} from './retrieval/embed-text.ts';
export { HeadingOutline, lastAtOrBefore, type OutlineHeading } from './retrieval/outline.ts';
export { findTables, type TableExtent, tableHeaderAt } from './retrieval/tables.ts';
export { MAX_SEGMENT_CHARS, SEGMENT_CHARS } from './segments.ts';
export {
  CharSizer,
  countTokens,
  createSizer,
  HF_PREFIX,
  type HfTokenizer,
  HfTokenSizer,
  hfTokenizer,
  hfTokenizerNames,
  preloadDefaultEncoding,
  type TokenizerSource,
  TokenSizer,
  useTokenizerSource,
} from './sizing/index.ts';
export { type AtxHeading, atxHeading } from './strategies/atx-heading.ts';
export { type CodeLanguage, codeLanguageNames } from './strategies/code-languages.ts';
export { initCodeParsers } from './strategies/code-parsers.ts';
export {
  type ChunkingConfig,
  type ConfigFor,
  type StrategyName,
  type StrategyRegistry,
  strategyDefinitions,
  strategyNames,
  strategyRegistry,
} from './strategies/index.ts';
export type {
  CarriedState,
  ChunkAsyncOptions,
  ChunkingStrategy,
  ChunkOptions,
  CommonConfig,
  NoOptions,
  OwnKeys,
  Sizer,
  Span,
  SpanMeter,
  StrategyConfig,
  StrategyContext,
  StrategyDefinition,
  StrategyResolver,
} from './strategy.ts';
export {
  type ChunkStreamOptions,
  chunkStream,
  STREAM_WINDOW_BYTES,
  type WindowLease,
  type WindowLeaseProvider,
} from './stream.ts';
export * from './types.ts';
export { ENGINE_VERSION } from './version.ts';
