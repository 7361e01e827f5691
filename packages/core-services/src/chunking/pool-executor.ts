import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { EmbedContext, NormalizedConfig, Recommendation, RecommendInput } from '@chunkflow/chunkers';
import { ApplicationError, DependencyUnavailableError, type ErrorCode } from '@chunkflow/errors';
import { Piscina } from 'piscina';
import { threadEntry } from '../thread-entry.ts';
import type { ChunkTable } from './chunk-table.ts';
import type { DocumentText } from './chunk-table-batch.ts';
import { receiveChunkTables } from './chunk-table-stream.ts';
import { THREAD_WARM } from './chunk-worker-messages.ts';
import { type ChunkingExecutor, type ChunkingOutcome, InlineExecutor, type RunOptions } from './executor.ts';
import { mayRunInline } from './offload-policy.ts';
import { type ThreadPoolStats, threadPoolStats } from './thread-pool-stats.ts';
import type { TokenizerFolderSettings } from './tokenizer-folder.ts';

export interface WorkerPoolOptions {
  /**
   * Work (characters of input times the output they amplify into) a cheap strategy may do on the
   * calling thread; anything costlier, or any costly strategy, runs on a worker thread.
   */
  offloadThresholdChars: number;
  maxThreads: number;
  /** Where the threads find `hf:` tokenizers; none when not given. */
  tokenizers?: TokenizerFolderSettings | undefined;
  /**
   * Every thread started with the pool and kept while it lives, the default tokenizer loaded as
   * it starts (see `ready`): tasks never wait for a thread to start (modules and the vocabulary to
   * load, around a second under a TypeScript loader), neither a server's first requests nor a
   * worker's operations after an idle spell.
   */
  resident?: boolean;
}

/** The fields of the engine's typed refusal: a thrown error crosses threads as a bare Error. */
type Refusal = {
  refusal: { code: ErrorCode; message: string; details: Record<string, unknown> | undefined };
};

interface ChunkingTask extends EmbedContext {
  text: string;
  config: NormalizedConfig;
}

/**
 * chunk-worker.ts's named tasks and what each answers. A config crosses as a structured clone of
 * a normalised one: the worker runs it without normalising it again.
 */
interface Tasks {
  preview: { task: ChunkingTask; result: ChunkingOutcome };
  tables: { task: ChunkingTask & { port: MessagePort }; result: undefined };
  documentTables: { task: { documents: DocumentText[]; config: NormalizedConfig }; result: ChunkTable[] };
  recommend: { task: RecommendInput; result: Recommendation };
}

/**
 * Keeps the event loop free: chunking, metrics, token counts and content analysis run on a pool of
 * worker threads, unless the work is too small to be worth the copy (see `mayRunInline`). Every
 * task takes the caller's abort signal: a queued task is dropped and a running one's thread is
 * terminated and replaced, so abandoned work stops at once even when it never yields.
 */
export class WorkerPoolExecutor implements ChunkingExecutor {
  readonly #inline = new InlineExecutor();
  readonly #pool: Piscina;
  readonly #thresholdChars: number;
  readonly #ready: Promise<void>;
  #closing = false;

  constructor(options: WorkerPoolOptions) {
    this.#thresholdChars = options.offloadThresholdChars;
    this.#pool = new Piscina({
      filename: threadEntry('chunk-worker', import.meta.url).href,
      minThreads: options.resident ? options.maxThreads : 0,
      maxThreads: options.maxThreads,
      idleTimeout: 30_000,
      // Each thread installs the tokenizer folder for itself (chunk-worker.ts).
      workerData: { tokenizers: options.tokenizers, resident: options.resident === true },
    });
    this.#ready = options.resident ? threadsWarm(this.#pool, options.maxThreads) : Promise.resolve();
    // Nobody may ask; a thread failing to start still fails the tasks sent to it.
    this.#ready.catch(() => undefined);
  }

  /** Resolves once a resident pool's threads have all started and loaded the default tokenizer. */
  ready(): Promise<void> {
    return this.#ready;
  }

  run(text: string, config: NormalizedConfig, options: RunOptions = {}): Promise<ChunkingOutcome> {
    if (mayRunInline(text.length, config, this.#thresholdChars))
      return this.#inline.run(text, config, options);
    return this.#runTask('preview', { text, config, ...embedContextOf(options) }, options);
  }

  /**
   * Always on the pool: stored chunks are a background operation's, however small. The thread
   * sends its tables over a channel of their own as it makes them (chunk-table-stream.ts).
   */
  tables(text: string, config: NormalizedConfig, options: RunOptions = {}): AsyncIterable<ChunkTable> {
    const { port1, port2 } = new MessageChannel();
    const task = this.#runTask('tables', { text, config, ...embedContextOf(options), port: port2 }, options, [
      port2,
    ]);
    // Tables never read (their signal aborted instead) leave the task's failure to nobody.
    task.catch(() => undefined);
    return receiveChunkTables(port1, task);
  }

  /** Always on the pool, as `tables`: one task for the documents (see ChunkingExecutor). */
  tablesOfMany(
    documents: readonly DocumentText[],
    config: NormalizedConfig,
    options: Pick<RunOptions, 'signal'> = {},
  ): Promise<ChunkTable[]> {
    const task = documents.map(({ text, title, outline }) => ({ text, title, outline }));
    return this.#runTask('documentTables', { documents: task, config }, options);
  }

  recommend(input: RecommendInput, options: RunOptions = {}): Promise<Recommendation> {
    if (!input.content) return this.#inline.recommend(input, options);
    return this.#runTask('recommend', input, options);
  }

  get stats(): ThreadPoolStats {
    return threadPoolStats(this.#pool);
  }

  /** Tasks still running are abandoned with DEPENDENCY_UNAVAILABLE: retried elsewhere, not failed. */
  async close(): Promise<void> {
    this.#closing = true;
    await this.#pool.destroy();
  }

  async #runTask<Name extends keyof Tasks>(
    name: Name,
    task: Tasks[Name]['task'],
    { signal }: RunOptions,
    transferList?: (ArrayBuffer | MessagePort)[],
  ): Promise<Tasks[Name]['result']> {
    let outcome: Tasks[Name]['result'] | Refusal;
    try {
      outcome = await this.#pool.run(task, {
        name,
        ...(signal ? { signal } : {}),
        ...(transferList ? { transferList } : {}),
      });
    } catch (error) {
      // Piscina wraps the abort; the signal's reason says why (budget spent, client gone, cancelled).
      if (signal?.aborted) throw signal.reason;
      // A process shutting down: the work is not wrong, another attempt (or worker) can do it.
      if (this.#closing) throw new DependencyUnavailableError('chunking threads', { cause: error });
      throw error;
    }
    if (typeof outcome === 'object' && outcome !== null && 'refusal' in outcome) {
      const { code, message, details } = outcome.refusal;
      throw new ApplicationError(code, message, { details });
    }
    return outcome;
  }
}

/** Resolves when `count` threads have said they are warm, rejects when the pool reports an error. */
function threadsWarm(pool: Piscina, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let warm = 0;
    const onMessage = (message: unknown) => {
      if (message !== THREAD_WARM) return;
      warm += 1;
      if (warm < count) return;
      pool.off('message', onMessage);
      pool.off('error', onError);
      resolve();
    };
    const onError = (error: unknown) => {
      pool.off('message', onMessage);
      pool.off('error', onError);
      reject(error);
    };
    pool.on('message', onMessage);
    pool.on('error', onError);
  });
}

/** The fields of RunOptions that cross to the thread (a signal cannot). */
function embedContextOf({ title, outline }: RunOptions): EmbedContext {
  return { title, outline };
}
