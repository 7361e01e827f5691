import type { Sizer } from '../strategy.ts';
import { splitsSurrogatePair } from '../text/code-units.ts';
import type { TokenizerName } from '../types.ts';
import { countTokens } from './encodings.ts';

/** Sizes in UTF-16 code units (JS string length): every query is O(1). */
export class CharSizer implements Sizer {
  readonly unit = 'chars';

  constructor(
    private readonly text: string,
    private readonly tokenizer: TokenizerName,
  ) {}

  measure(start: number, end: number): number {
    return end - start;
  }

  fitEnd(start: number, limit: number, maxSize: number): number {
    const end = Math.min(limit, start + maxSize);
    return splitsSurrogatePair(this.text, end) && end - 1 > start ? end - 1 : end;
  }

  fitStart(end: number, limit: number, maxSize: number): number {
    const start = Math.max(limit, end - maxSize);
    return splitsSurrogatePair(this.text, start) ? start + 1 : start;
  }

  tokenCount(start: number, end: number): number {
    return countTokens(this.text.slice(start, end), this.tokenizer);
  }
}
