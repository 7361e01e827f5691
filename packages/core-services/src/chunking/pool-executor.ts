import type { ChunkingConfig } from '@chunkflow/chunkers';
import { ApplicationError, type ErrorCode } from '@chunkflow/errors';
import { Piscina } from 'piscina';
import { type ChunkingExecutor, type ChunkingOutcome, InlineExecutor } from './executor.ts';

export interface WorkerPoolOptions {
  /** Inputs at least this long (chars) run on a worker thread; shorter ones inline (no copy cost). */
  offloadThresholdChars: number;
  maxThreads: number;
}

/** What chunk-worker.mjs answers: chunks and metrics, or the fields of the engine's typed refusal. */
type WorkerOutcome =
  | ChunkingOutcome
  | { refusal: { code: ErrorCode; message: string; details: Record<string, unknown> | undefined } };

/**
 * Keeps the event loop free: large inputs are chunked, and their metrics computed, on a pool of
 * worker threads, so a cheap request is not queued behind a big preview. Small inputs stay
 * inline, where copying the text and chunks across threads would cost more than the work.
 */
export class WorkerPoolExecutor implements ChunkingExecutor {
  readonly #inline = new InlineExecutor();
  readonly #pool: Piscina<{ text: string; config: ChunkingConfig }, WorkerOutcome>;
  readonly #thresholdChars: number;

  constructor(options: WorkerPoolOptions) {
    this.#thresholdChars = options.offloadThresholdChars;
    this.#pool = new Piscina({
      filename: new URL('./chunk-worker.mjs', import.meta.url).href,
      minThreads: 0,
      maxThreads: options.maxThreads,
      idleTimeout: 30_000,
    });
  }

  async run(text: string, config: ChunkingConfig): Promise<ChunkingOutcome> {
    if (text.length < this.#thresholdChars) return this.#inline.run(text, config);
    const outcome = await this.#pool.run({ text, config });
    if (!('refusal' in outcome)) return outcome;
    const { code, message, details } = outcome.refusal;
    throw new ApplicationError(code, message, { details });
  }

  get stats(): { threads: number; queued: number; completed: number } {
    return {
      threads: this.#pool.threads.length,
      queued: this.#pool.queueSize,
      completed: this.#pool.completed,
    };
  }

  async close(): Promise<void> {
    await this.#pool.destroy();
  }
}
