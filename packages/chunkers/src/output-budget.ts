import { InvalidConfigError } from '@chunkflow/errors';
import { type ChunkingConfig, levelSizesOf } from './strategies/index.ts';
import type { SpanMeter } from './strategy.ts';

/** What a chunk costs beyond its text (a stored row, a response entry), in characters. */
export const CHUNK_OVERHEAD_CHARS = 100;

/**
 * Per hierarchy level, a document's chunks may cost at most this many times its text: a 90%
 * overlap of 1000 or 10-character chunks (11× each) still fit, and the seed's 1000/200 default
 * costs 1.4×; `fixed` 1000/999 (1,100×) or 4-character chunks of a long text (26×) do not.
 */
export const MAX_OUTPUT_FACTOR = 12;

/**
 * Any document may cost this much, so small texts can be cut as finely as the config says (a
 * 10 KB text into 4-character chunks is ~270 KB). Past it, only the factor counts: a small request
 * can no longer ask for megabytes of output (10 KB with 1000/999 would have been 10 MB).
 */
export const OUTPUT_ALLOWANCE_CHARS = 1_000_000;

/** Spans between two looks at the abort signal while a strategy produces them. */
const SPANS_PER_SIGNAL_CHECK = 256;

/** The most one document of `textLength` characters may cost under a config with `levels` levels. */
export function outputLimitChars(textLength: number, levels = 1): number {
  return Math.max(OUTPUT_ALLOWANCE_CHARS, textLength * levels * MAX_OUTPUT_FACTOR);
}

/** Characters per token assumed by the estimate (English prose averages about 4). */
const ESTIMATED_CHARS_PER_TOKEN = 4;

/**
 * A cheap estimate (no text read) of what chunking `textLength` characters with `config` costs,
 * counted like the budget: every chunk's text plus CHUNK_OVERHEAD_CHARS. Windows advance by
 * chunkSize − chunkOverlap; token sizes are taken as ESTIMATED_CHARS_PER_TOKEN characters each;
 * hierarchy children tile their parents. For deciding where to run a request (inline or on a
 * pool), not a bound: boundaries can make chunks shorter, and the budget decides refusals.
 */
export function estimateOutputChars(textLength: number, config: ChunkingConfig): number {
  if (textLength <= 0) return 0;
  const unitChars = config.sizeUnit === 'tokens' ? ESTIMATED_CHARS_PER_TOKEN : 1;
  const [top = config.chunkSize, ...children] = levelSizesOf(config);
  const chunkChars = Math.min(textLength, top * unitChars);
  const stepChars = Math.max(1, (top - config.chunkOverlap) * unitChars);
  const parents = 1 + Math.ceil(Math.max(0, textLength - chunkChars) / stepChars);
  const parentChars = parents * chunkChars;
  let total = parentChars + parents * CHUNK_OVERHEAD_CHARS;
  for (const size of children) {
    total += parentChars + Math.ceil(parentChars / (size * unitChars)) * CHUNK_OVERHEAD_CHARS;
  }
  return total;
}

/**
 * Counts what one document's chunking emits, span by span as the strategy produces them, and
 * refuses a config whose chunks would cost more than MAX_OUTPUT_FACTOR times the text read so far
 * (beyond the allowance) as soon as they do: a refused request costs about what the largest
 * allowed one does, however long the document is and whatever the config.
 */
export class OutputBudget {
  readonly #levels: number;
  #chunks = 0;
  #chars = 0;

  constructor(levels: number) {
    this.#levels = levels;
  }

  /**
   * A meter for the spans of the segment that ends `coveredChars` into the document; it also
   * throws `signal`'s reason once the signal is aborted (looked at every few hundred spans).
   */
  meter(coveredChars: number, signal?: AbortSignal): SpanMeter {
    const limit = outputLimitChars(coveredChars, this.#levels);
    return {
      count: (start, end) => {
        this.#chunks++;
        this.#chars += end - start;
        if (this.#chunks % SPANS_PER_SIGNAL_CHECK === 0) signal?.throwIfAborted();
        if (this.#chars + this.#chunks * CHUNK_OVERHEAD_CHARS > limit) this.#refuse();
      },
    };
  }

  #refuse(): never {
    // Repeated text is the overlap's doing; a crowd of small chunks, the size's.
    const overhead = this.#chunks * CHUNK_OVERHEAD_CHARS;
    const [field, advice] =
      this.#chars >= overhead
        ? ['chunkOverlap', 'a smaller chunkOverlap']
        : ['chunkSize', 'a larger chunkSize'];
    throw new InvalidConfigError(
      `This config's chunks would come to more than ${MAX_OUTPUT_FACTOR} times the document (each counted as its text plus ${CHUNK_OVERHEAD_CHARS} characters); use ${advice}`,
      field,
      { details: { limit: MAX_OUTPUT_FACTOR, chunkOverheadChars: CHUNK_OVERHEAD_CHARS } },
    );
  }
}
