import { InvalidConfigError } from '@chunkflow/errors';
import type { Span } from './strategy.ts';

/** What a chunk costs beyond its text (a stored row, a response entry), in characters. */
export const CHUNK_OVERHEAD_CHARS = 100;

/**
 * Per hierarchy level, a document's chunks may cost at most this many times its text: a 90%
 * overlap of 1000 or 10-character chunks (11× each) still fit, and the seed's 1000/200 default
 * costs 1.4×; `fixed` 1000/999 (1,100×) or 4-character chunks of a long text (26×) do not.
 */
export const MAX_OUTPUT_FACTOR = 12;

/** Any document may cost this much, so small texts can be cut as finely as the config says. */
export const OUTPUT_ALLOWANCE_CHARS = 10_000_000;

/**
 * Counts what one document's chunking emits, segment by segment, and refuses a config whose
 * chunks would cost more than MAX_OUTPUT_FACTOR times the text read so far (beyond the allowance)
 * before any chunk object is built. The cost of a run so stays proportional to its document,
 * however long the document is and whatever the config.
 */
export class OutputBudget {
  readonly #maxFactor: number;
  #chunks = 0;
  #chars = 0;

  constructor(levels: number) {
    this.#maxFactor = levels * MAX_OUTPUT_FACTOR;
  }

  /** `coveredChars`: how much of the document the spans so far were cut from. */
  admit(spans: readonly Span[], coveredChars: number): void {
    this.#chunks += spans.length;
    for (const span of spans) this.#chars += span.end - span.start;
    const overhead = this.#chunks * CHUNK_OVERHEAD_CHARS;
    if (this.#chars + overhead <= Math.max(OUTPUT_ALLOWANCE_CHARS, coveredChars * this.#maxFactor)) return;
    // Repeated text is the overlap's doing; a crowd of small chunks, the size's.
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
