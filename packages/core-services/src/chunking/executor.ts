import {
  type ChunkMetrics,
  chunkForEmbedding,
  computeMetrics,
  type EmbedContext,
  type EmbeddableChunk,
  type NormalizedConfig,
  type Recommendation,
  type RecommendInput,
  recommend,
} from '@chunkflow/chunkers';
import { type ChunkTable, chunkTableOf } from './chunk-table.ts';
import { type DocumentText, tablesOfDocuments } from './chunk-table-batch.ts';

/** A document's chunks and their quality metrics, computed together on the same thread. */
export interface ChunkingOutcome {
  chunks: EmbeddableChunk[];
  metrics: ChunkMetrics;
  /** The chunks' JSON as UTF-8, written by the thread that chunked them (absent when chunked inline). */
  chunksJson?: Uint8Array;
}

/** The document's title and converted headings head each chunk's embedText (see EmbedContext). */
export interface RunOptions extends EmbedContext {
  /** Aborting it abandons the work: the engine stops, or the pool terminates the thread running it. */
  signal?: AbortSignal | undefined;
}

/**
 * Runs the engine: previews, comparisons (previews of several configs) and operations' stored
 * chunks all reach it through here. The composition root decides where: inline, or on a
 * worker-thread pool. Configs arrive normalised (ConfigBuilder) and run as they are.
 */
export interface ChunkingExecutor {
  /** Chunks and metrics of a preview or comparison. */
  run(text: string, config: NormalizedConfig, options?: RunOptions): Promise<ChunkingOutcome>;
  /**
   * Chunks to store, token counts included (see ChunkTable), in tables made as they are read:
   * however long the document, only a few tables exist at a time. Read it to the end, or abort
   * `options.signal` once done with it: unread tables hold the thread that makes them.
   */
  tables(text: string, config: NormalizedConfig, options?: RunOptions): AsyncIterable<ChunkTable>;
  /**
   * The chunks to store of several documents, one table each in their order, made by one task: a
   * batch of an operation's documents is handed to a thread once, not once per document. For
   * documents whose chunks fit in memory at once; longer ones go through `tables`.
   */
  tablesOfMany(
    documents: readonly DocumentText[],
    config: NormalizedConfig,
    options?: Pick<RunOptions, 'signal'>,
  ): Promise<ChunkTable[]>;
  /** Content analysis and the strategy it suggests. */
  recommend(input: RecommendInput, options?: RunOptions): Promise<Recommendation>;
  close(): Promise<void>;
}

/** Runs on the calling thread: for tests, and for work a pool judged too small to send away. */
export class InlineExecutor implements ChunkingExecutor {
  async run(text: string, config: NormalizedConfig, options: RunOptions = {}): Promise<ChunkingOutcome> {
    const chunks = await chunkForEmbedding(text, config, options);
    return { chunks, metrics: computeMetrics(text, chunks) };
  }

  async *tables(
    text: string,
    config: NormalizedConfig,
    options: RunOptions = {},
  ): AsyncGenerator<ChunkTable> {
    yield chunkTableOf(await chunkForEmbedding(text, config, options));
  }

  tablesOfMany(
    documents: readonly DocumentText[],
    config: NormalizedConfig,
    { signal }: Pick<RunOptions, 'signal'> = {},
  ): Promise<ChunkTable[]> {
    return tablesOfDocuments(documents, config, signal);
  }

  async recommend(input: RecommendInput, options: RunOptions = {}): Promise<Recommendation> {
    options.signal?.throwIfAborted();
    return recommend(input);
  }

  async close(): Promise<void> {}
}
