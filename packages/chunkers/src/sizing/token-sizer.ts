import type { Sizer } from '../strategy.ts';
import { splitsSurrogatePair } from '../text/code-units.ts';
import type { Encoding } from './encodings.ts';
import { firstAtOrAbove, lastAtOrBelow } from './int-list.ts';
import { buildTokenIndex, type TokenIndex } from './token-index.ts';

/**
 * Sizes in tokens of one BPE encoding, exactly: `measure(a, b)` equals the encoding's count of
 * `text.slice(a, b)`. The text is encoded once; a span's count is the prefix-sum difference between
 * two clean cuts (see token-index.ts) plus, at most, a re-encode of the few characters between
 * each edge and its nearest clean cut. Queries are O(log n) plus those short edges.
 */
export class TokenSizer implements Sizer {
  readonly unit = 'tokens';
  readonly #text: string;
  readonly #encoding: Encoding;
  readonly #index: TokenIndex;
  /** Token counts of uniform runs, by `#uniformRunKey`. */
  readonly #runCounts = new Map<number, number>();

  constructor(text: string, encoding: Encoding) {
    this.#text = text;
    this.#encoding = encoding;
    this.#index = buildTokenIndex(text, encoding);
  }

  /** Tokens in the whole text. */
  get totalTokens(): number {
    const { cumulative } = this.#index;
    return cumulative[cumulative.length - 1] as number;
  }

  measure(start: number, end: number): number {
    return this.tokenCount(start, end);
  }

  tokenCount(start: number, end: number): number {
    if (end <= start) return 0;
    const { cleanStarts, cleanCumulative } = this.#index;
    const tailIndex = lastAtOrBelow(cleanStarts, end);
    const tailStart = cleanStarts[tailIndex] as number;
    const head = this.#syncPoint(start, end);
    if (head === undefined || head.position > tailStart) return this.#encodeCount(start, end);
    const middle = (cleanCumulative[tailIndex] as number) - head.cumulative;
    return head.tokens + middle + this.#encodeCount(tailStart, end);
  }

  fitEnd(start: number, limit: number, maxSize: number): number {
    if (this.#approx(start, limit) <= maxSize + EDGE_SLACK && this.tokenCount(start, limit) <= maxSize)
      return limit;
    const { boundaries, cumulative } = this.#index;
    const base = this.#cumulativeAtOrBelow(start);
    const last = lastAtOrBelow(boundaries, limit - 1);
    let budget = maxSize;
    while (budget > 0) {
      // Largest token boundary in (start, limit) whose prefix-sum estimate fits the budget.
      const candidate = lastAtOrBelow(cumulative.subarray(0, last + 1), base + budget);
      const end = candidate < 0 ? start : (boundaries[candidate] as number);
      if (end <= start) break;
      const exact = this.tokenCount(start, end);
      if (exact <= maxSize) return end;
      budget -= exact - maxSize;
    }
    return this.#fitWithinFirstToken(start, limit, maxSize);
  }

  fitStart(end: number, limit: number, maxSize: number): number {
    if (maxSize <= 0 || end <= limit) return end;
    if (this.#approx(limit, end) <= maxSize + EDGE_SLACK && this.tokenCount(limit, end) <= maxSize)
      return limit;
    const { boundaries, cumulative } = this.#index;
    const top = this.#cumulativeAtOrBelow(end);
    const first = firstAtOrAbove(boundaries, limit + 1);
    let budget = maxSize;
    while (budget > 0) {
      // Smallest token boundary in (limit, end) whose prefix-sum estimate fits the budget.
      const candidate = Math.max(first, firstAtOrAbove(cumulative, top - budget));
      const start = candidate < boundaries.length ? (boundaries[candidate] as number) : end;
      if (start >= end) break;
      const exact = this.tokenCount(start, end);
      if (exact <= maxSize) return start;
      budget -= exact - maxSize;
    }
    return end;
  }

  /** Prefix-sum estimate of the span's tokens; exact between clean cuts. */
  #approx(start: number, end: number): number {
    return this.#cumulativeAtOrBelow(end) - this.#cumulativeAtOrBelow(start);
  }

  #cumulativeAtOrBelow(position: number): number {
    const { boundaries, cumulative } = this.#index;
    return cumulative[lastAtOrBelow(boundaries, position)] as number;
  }

  #encodeCount(start: number, end: number): number {
    if (end <= start) return 0;
    const run = end - start >= MIN_MEMO_RUN ? this.#uniformRunKey(start, end) : undefined;
    if (run === undefined) return this.#encoding.count(this.#text.slice(start, end));
    let count = this.#runCounts.get(run);
    if (count === undefined) {
      if (this.#runCounts.size >= MAX_MEMO_RUNS) this.#runCounts.clear();
      count = this.#encoding.count(this.#text.slice(start, end));
      this.#runCounts.set(run, count);
    }
    return count;
  }

  /**
   * A key for text.slice(start, end) when it repeats one code unit (a run of blanks or of one
   * punctuation mark), else undefined. Spans inside such a run have no clean cut, so each is
   * encoded whole; the spans of a chunking run mostly have a few lengths, so counting each
   * (character, length) once keeps sizing the run linear.
   */
  #uniformRunKey(start: number, end: number): number | undefined {
    const text = this.#text;
    const code = text.charCodeAt(start);
    for (let i = start + 1; i < end; i++) if (text.charCodeAt(i) !== code) return undefined;
    return code * RUN_LENGTH_LIMIT + (end - start);
  }

  /**
   * Where the pieces of a span starting at `start` line up with the whole text's again: the first
   * clean piece start at or after `start` that the span's own segmentation also reaches, with the
   * span's tokens before it. Undefined when that lies beyond `end`.
   */
  #syncPoint(
    start: number,
    end: number,
  ): { position: number; tokens: number; cumulative: number } | undefined {
    const { boundaries, cumulative, pieceStart, cleanStarts, cleanCumulative } = this.#index;
    const at = lastAtOrBelow(boundaries, start);
    if (boundaries[at] === start && pieceStart[at] === 1) {
      return { position: start, tokens: 0, cumulative: cumulative[at] as number };
    }
    // The span's own pieces, matched on the span alone: a call reads at most the span, never the
    // rest of a whitespace or punctuation run that goes on beyond it (rescanned on every call,
    // that made sizing such runs quadratic).
    const span = this.#text.slice(start, end);
    const pattern = this.#encoding.splitPattern;
    pattern.lastIndex = 0;
    while (pattern.lastIndex < span.length && pattern.exec(span) !== null) {
      const position = start + pattern.lastIndex;
      const clean = lastAtOrBelow(cleanStarts, position);
      if (cleanStarts[clean] === position) {
        return {
          position,
          tokens: this.#encodeCount(start, position),
          cumulative: cleanCumulative[clean] as number,
        };
      }
    }
    return undefined;
  }

  /** When not even one whole token fits after `start`: the longest run of code points that does. */
  #fitWithinFirstToken(start: number, limit: number, maxSize: number): number {
    const { boundaries } = this.#index;
    const next = boundaries[firstAtOrAbove(boundaries, start + 1)] ?? limit;
    let low = start + 1;
    let high = Math.min(next, limit);
    let best = splitsSurrogatePair(this.#text, low) ? low + 1 : low;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const end = splitsSurrogatePair(this.#text, mid) ? mid + 1 : mid;
      if (end <= high && this.tokenCount(start, end) <= maxSize) {
        best = Math.max(best, end);
        low = mid + 1;
      } else high = mid - 1;
    }
    return best;
  }
}

/** Re-encoding at the edges rarely moves a count by more than this; beyond it the estimate decides. */
const EDGE_SLACK = 4;
/** Shorter spans encode faster than the uniformity check pays for. */
const MIN_MEMO_RUN = 64;
const MAX_MEMO_RUNS = 4096;
/** Above any segment's length (segments.ts), so (code unit, length) keys never collide. */
const RUN_LENGTH_LIMIT = 1 << 22;
