import type { Sizer } from '../strategy.ts';
import { splitsSurrogatePair } from '../text/code-units.ts';
import type { HfTokenizer } from './hf-tokenizers.ts';

/** A first guess of characters per token when looking for a span of a given token count. */
const CHARS_PER_TOKEN_GUESS = 4;

/**
 * Sizes in tokens of a Hugging Face tokenizer, exactly: every count is the tokenizer's own count
 * of that span. The library gives no token offsets, so a fit is searched for: the span grows by
 * doubling from a guess until it no longer fits (each probe encodes only about as much text as
 * the answer holds), then a binary search between the last fitting and the first failing end.
 * Counts are not strictly monotone in the end (a longer word may be fewer pieces), so the end
 * found always fits but is the largest only where counts grow with the span, as they nearly do.
 */
export class HfTokenSizer implements Sizer {
  readonly unit = 'tokens';
  readonly #text: string;
  readonly #tokenizer: HfTokenizer;

  constructor(text: string, tokenizer: HfTokenizer) {
    this.#text = text;
    this.#tokenizer = tokenizer;
  }

  measure(start: number, end: number): number {
    return this.tokenCount(start, end);
  }

  tokenCount(start: number, end: number): number {
    return end <= start ? 0 : this.#tokenizer.count(this.#text.slice(start, end));
  }

  fitEnd(start: number, limit: number, maxSize: number): number {
    const fits = (end: number) => this.tokenCount(start, end) <= maxSize;
    let fitting = start;
    let failing: number | undefined;
    for (let reach = Math.max(1, maxSize * CHARS_PER_TOKEN_GUESS); failing === undefined; reach *= 2) {
      const end = this.#whole(Math.min(limit, start + reach));
      if (!fits(end)) failing = end;
      else if (end >= limit) return limit;
      else fitting = end;
    }
    while (failing - fitting > 1) {
      const middle = this.#whole((fitting + failing) >>> 1);
      if (middle <= fitting || middle >= failing) break;
      if (fits(middle)) fitting = middle;
      else failing = middle;
    }
    // Not even one code point fits: the smallest step, as every sizer gives (ends are > start).
    return fitting > start ? fitting : this.#whole(start + 1);
  }

  fitStart(end: number, limit: number, maxSize: number): number {
    if (maxSize <= 0 || end <= limit) return end;
    const fits = (start: number) => this.tokenCount(start, end) <= maxSize;
    let fitting = end;
    let failing: number | undefined;
    for (let reach = Math.max(1, maxSize * CHARS_PER_TOKEN_GUESS); failing === undefined; reach *= 2) {
      const start = this.#whole(Math.max(limit, end - reach));
      if (!fits(start)) failing = start;
      else if (start <= limit) return limit;
      else fitting = start;
    }
    while (fitting - failing > 1) {
      const middle = this.#whole((fitting + failing) >>> 1);
      if (middle >= fitting || middle <= failing) break;
      if (fits(middle)) fitting = middle;
      else failing = middle;
    }
    return fitting;
  }

  /** `position`, moved past the low half of a surrogate pair it would split. */
  #whole(position: number): number {
    return splitsSurrogatePair(this.#text, position) ? position + 1 : position;
  }
}
