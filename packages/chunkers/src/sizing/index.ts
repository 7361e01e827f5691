import type { Sizer } from '../strategy.ts';
import type { SizeUnit, TokenizerName } from '../types.ts';
import { CharSizer } from './char-sizer.ts';
import { getEncoding } from './encodings.ts';
import { TokenSizer } from './token-sizer.ts';

export { CharSizer } from './char-sizer.ts';
export { countTokens } from './encodings.ts';
export { TokenSizer } from './token-sizer.ts';

export function createSizer(text: string, config: { sizeUnit: SizeUnit; tokenizer: TokenizerName }): Sizer {
  return config.sizeUnit === 'tokens'
    ? new TokenSizer(text, getEncoding(config.tokenizer))
    : new CharSizer(text, config.tokenizer);
}
