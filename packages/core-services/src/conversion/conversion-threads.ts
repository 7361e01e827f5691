import {
  type ConversionInput,
  type ConversionLimits,
  type ConvertedDocument,
  detectType,
} from '@chunkflow/converters';
import {
  ApplicationError,
  DependencyUnavailableError,
  type ErrorCode,
  InvalidDocumentError,
} from '@chunkflow/errors';
import { Piscina } from 'piscina';
import { type ThreadPoolStats, threadPoolStats } from '../chunking/thread-pool-stats.ts';
import { threadEntry } from '../thread-entry.ts';
import { type ConvertOptions, type DocumentConverter, InlineConverter } from './converter.ts';

export interface ConversionThreadOptions {
  /** Conversions that run at once; more wait their turn. */
  threads: number;
  /** Heap one conversion thread may grow to; past it the thread dies and the file is refused. */
  memoryMb: number;
  /** How long a thread outlives its last conversion before it exits and its memory is returned. */
  idleMs: number;
  limits: ConversionLimits;
}

/** Markdown up to this size has its headings found on the calling thread. */
const INLINE_MARKDOWN_BYTES = 1024 * 1024;

type Refusal = {
  refusal: { code: ErrorCode; message: string; details: Record<string, unknown> | undefined };
};

/**
 * Converts files on threads of their own, apart from the chunking threads: pdf.js, the DOCX
 * reader and a DOM (tens of MB of code and caches) load only here, each thread's heap is capped
 * (a hostile file that grows it kills its thread, not the server: the file is refused as
 * INVALID_DOCUMENT), and a thread exits once idle for `idleMs`, so what conversions took is given
 * back instead of staying with the server. Aborting a conversion (its time budget, a client gone) terminates its thread.
 */
export class ThreadConverter implements DocumentConverter {
  readonly #inline: InlineConverter;
  readonly #pool: Piscina;
  readonly #limits: ConversionLimits;
  #closing = false;

  constructor(options: ConversionThreadOptions) {
    this.#limits = options.limits;
    this.#inline = new InlineConverter(options.limits);
    this.#pool = new Piscina({
      filename: threadEntry('convert-worker', import.meta.url).href,
      minThreads: 0,
      maxThreads: options.threads,
      idleTimeout: options.idleMs,
      resourceLimits: { maxOldGenerationSizeMb: options.memoryMb },
    });
  }

  async convert(input: ConversionInput, options: ConvertOptions = {}): Promise<ConvertedDocument> {
    // Plain text is only decoded (native): never worth the copies, nor a thread's start.
    const { format } = detectType(input);
    if (format === 'text' || (format === 'markdown' && input.bytes.byteLength <= INLINE_MARKDOWN_BYTES)) {
      return this.#inline.convert(input, options);
    }
    const { signal } = options;
    let outcome: ConvertedDocument | Refusal;
    try {
      // The bytes are moved to the thread rather than copied (the caller's array is detached).
      outcome = await this.#pool.run(
        { input, limits: this.#limits },
        { transferList: [input.bytes.buffer as ArrayBuffer], ...(signal ? { signal } : {}) },
      );
    } catch (error) {
      // Piscina wraps the abort; the signal's reason says why (budget spent, client gone).
      if (signal?.aborted) throw signal.reason;
      if ((error as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
        throw new InvalidDocumentError('budget', 'Converting the document needs more memory than allowed', {
          cause: error,
        });
      }
      if (this.#closing) throw new DependencyUnavailableError('conversion threads', { cause: error });
      throw error;
    }
    if ('refusal' in outcome) {
      const { code, message, details } = outcome.refusal;
      throw new ApplicationError(code, message, { details });
    }
    return outcome;
  }

  get stats(): ThreadPoolStats {
    return threadPoolStats(this.#pool);
  }

  async close(): Promise<void> {
    this.#closing = true;
    await this.#pool.destroy();
  }
}
