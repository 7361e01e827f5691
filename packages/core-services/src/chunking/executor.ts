import { type Chunk, type ChunkingConfig, chunkAsync } from '@chunkflow/chunkers';

/** Runs the engine. The composition root decides where: inline, or on a worker-thread pool. */
export interface ChunkingExecutor {
  run(text: string, config: ChunkingConfig): Promise<Chunk[]>;
  close(): Promise<void>;
}

/** Runs on the calling thread: right for small inputs, tests and the worker process. */
export class InlineExecutor implements ChunkingExecutor {
  run(text: string, config: ChunkingConfig): Promise<Chunk[]> {
    return chunkAsync(text, config);
  }

  async close(): Promise<void> {}
}
