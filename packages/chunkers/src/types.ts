/** Public shapes of the chunking engine, shared by its strategies and their callers. */

export type SizeUnit = 'chars' | 'tokens';
export type TokenizerName = 'cl100k_base' | 'o200k_base';

export interface ChunkMetadata {
  /** Markdown heading path, outermost first. */
  headings?: string[];
  /** Hierarchical: index (in the same result) of the parent chunk; absent on top-level chunks. */
  parentIndex?: number;
  /** Hierarchical: 0 for the largest level. */
  level?: number;
  /** Code: language the splitter used. */
  language?: string;
  /** Hybrid: the strategy it picked and why. */
  [key: string]: unknown;
}

export interface Chunk {
  index: number;
  content: string;
  /** JS string index into the input: `text.slice(startOffset, endOffset) === content`. */
  startOffset: number;
  endOffset: number;
  charCount: number;
  /** Exact count under the configured tokenizer. */
  tokenCount: number;
  metadata: ChunkMetadata;
}
