import type { Sizer } from '../strategy.ts';
import type { SizeUnit, TokenizerName } from '../types.ts';
import { CharSizer } from './char-sizer.ts';
import { type BpeName, getEncoding } from './encodings.ts';
import { HfTokenSizer } from './hf-token-sizer.ts';
import { hfTokenizer, isHfTokenizerName } from './hf-tokenizers.ts';
import { TokenSizer } from './token-sizer.ts';

export { CharSizer } from './char-sizer.ts';
export { countTokens, preloadDefaultEncoding } from './encodings.ts';
export { HfTokenSizer } from './hf-token-sizer.ts';
export {
  HF_PREFIX,
  type HfTokenizer,
  hfTokenizer,
  hfTokenizerNames,
  type TokenizerSource,
  useTokenizerSource,
} from './hf-tokenizers.ts';
export { TokenSizer } from './token-sizer.ts';

export function createSizer(text: string, config: { sizeUnit: SizeUnit; tokenizer: TokenizerName }): Sizer {
  if (config.sizeUnit === 'chars') return new CharSizer(text, config.tokenizer);
  return isHfTokenizerName(config.tokenizer)
    ? new HfTokenSizer(text, hfTokenizer(config.tokenizer))
    : new TokenSizer(text, getEncoding(config.tokenizer as BpeName));
}
