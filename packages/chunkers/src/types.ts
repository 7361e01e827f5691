/** Public shapes of the chunking engine, shared by its strategies and their callers. */

export type SizeUnit = 'chars' | 'tokens';
/** A BPE encoding the engine ships, or `hf:<name>`: a Hugging Face tokenizer.json (see useTokenizerSource). */
export type TokenizerName = 'cl100k_base' | 'o200k_base' | `hf:${string}`;
/** The context header `embedText` starts with (see retrieval/embed-header.ts). */
export type EmbedTemplate = 'title-headings' | 'headings' | 'none';
/** What `chunkSize` bounds: the exact content (default) or the whole `embedText`. */
export type EmbedSizeLimit = 'content' | 'embedText';

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

/** A chunk ready to embed: its context header plus its exact content, and that text's exact size. */
export interface EmbeddableChunk extends Chunk {
  /** Context header (title, heading path, a split table's header row) followed by `content`. */
  embedText: string;
  /** Exact token count of `embedText` under the configured tokenizer. */
  embedTokenCount: number;
}
