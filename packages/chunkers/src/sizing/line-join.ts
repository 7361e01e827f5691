import { isWhitespace } from '../text/code-units.ts';
import type { TokenizerName } from '../types.ts';

/**
 * True when, under `tokenizer`, `head + tail` has exactly the tokens of `head` followed by those
 * of `tail`, so its count is the sum of theirs. Holds for the built-in BPE encodings when `head`
 * ends with a line break and `tail` starts with a character neither whitespace nor '/'.
 *
 * Why: the split patterns have no lookbehind, so once a piece starts at the junction, the pieces
 * after it are those of `tail` alone (the end of text is the same). Before it, a match reads the
 * junction only after consuming `head`'s final '\n', and the only alternatives that consume a
 * line break are the punctuation piece's tail (cl100k `[\r\n]*`, o200k `[\r\n/]*`) and the
 * whitespace ones (a letter piece's optional prefix excludes \r\n). The tail stops at a character
 * that is not \r, \n or '/' as it stopped at the end. A match from inside the whitespace run
 * ending `head` reaches that final '\n' (no earlier alternative fits there); alone, cl100k's
 * `\s+$` takes the rest of the run; joined, `\s+$` fails and `\s*[\r\n]` backtracks from the
 * non-whitespace to the same '\n' (o200k's `\s*[\r\n]+` does the same either way): the same
 * piece. Every other match ends before the junction, reads nothing past it, and is unchanged. BPE
 * encodes pieces independently, so equal pieces give equal tokens. A Hugging Face tokenizer
 * (normalisers, other pre-tokenizers) is never assumed to split this way.
 */
export function joinsAtLineBreak(head: string, tail: string, tokenizer: TokenizerName): boolean {
  if (tokenizer !== 'cl100k_base' && tokenizer !== 'o200k_base') return false;
  if (!head.endsWith('\n') || tail.length === 0) return false;
  const first = tail.charCodeAt(0);
  return first !== 0x2f && !isWhitespace(first);
}
