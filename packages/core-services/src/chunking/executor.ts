import {
  type Chunk,
  type ChunkingConfig,
  type ChunkMetrics,
  chunkAsync,
  computeMetrics,
} from '@chunkflow/chunkers';

/** A document's chunks and their quality metrics, computed together on the same thread. */
export interface ChunkingOutcome {
  chunks: Chunk[];
  metrics: ChunkMetrics;
}

/** Runs the engine. The composition root decides where: inline, or on a worker-thread pool. */
export interface ChunkingExecutor {
  run(text: string, config: ChunkingConfig): Promise<ChunkingOutcome>;
  close(): Promise<void>;
}

/** Runs on the calling thread: right for small inputs, tests and the worker process. */
export class InlineExecutor implements ChunkingExecutor {
  async run(text: string, config: ChunkingConfig): Promise<ChunkingOutcome> {
    const chunks = await chunkAsync(text, config);
    return { chunks, metrics: computeMetrics(text, chunks) };
  }

  async close(): Promise<void> {}
}
