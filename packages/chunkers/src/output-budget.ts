import { InvalidConfigError } from '@chunkflow/errors';
import type { Span } from './strategy.ts';

/** Each chunk costs a stored row, its metrics and a response entry, so a document gets at most this many. */
export const MAX_CHUNKS_PER_DOCUMENT = 100_000;

/**
 * Overlap makes chunks repeat the text: 1000/999 turns 200 KB into 200 MB of chunks. Per
 * hierarchy level, the chunks may hold at most this many times the characters of the text they
 * cover (a 90% overlap still fits; the seed's 20% default gives 1.25×).
 */
export const MAX_OVERLAP_AMPLIFICATION = 10;

/**
 * Counts what one document's chunking emits, segment by segment, and refuses a config that
 * would exceed either bound (overlap first: it is the likelier cause) before any chunk object is built, so the cost stays proportional to
 * the document whatever the config.
 */
export class OutputBudget {
  readonly #maxCharsPerCovered: number;
  #chunks = 0;
  #chars = 0;

  constructor(levels: number) {
    this.#maxCharsPerCovered = levels * MAX_OVERLAP_AMPLIFICATION;
  }

  /** `coveredChars`: how much of the document the spans so far were cut from. */
  admit(spans: readonly Span[], coveredChars: number): void {
    for (const span of spans) this.#chars += span.end - span.start;
    if (this.#chars > coveredChars * this.#maxCharsPerCovered) {
      throw new InvalidConfigError(
        `With this overlap the chunks repeat the document more than ${MAX_OVERLAP_AMPLIFICATION} times over; use a smaller chunkOverlap`,
        'chunkOverlap',
        { details: { limit: MAX_OVERLAP_AMPLIFICATION } },
      );
    }
    this.#chunks += spans.length;
    if (this.#chunks > MAX_CHUNKS_PER_DOCUMENT) {
      throw new InvalidConfigError(
        `This config cuts the document into more than ${MAX_CHUNKS_PER_DOCUMENT} chunks; use a larger chunkSize`,
        'chunkSize',
        { details: { limit: MAX_CHUNKS_PER_DOCUMENT } },
      );
    }
  }
}
