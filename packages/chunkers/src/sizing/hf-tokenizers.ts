import { InvalidConfigError } from '@chunkflow/errors';
import { Tokenizer } from '@huggingface/tokenizers';

/** The prefix of a Hugging Face tokenizer's name in `tokenizer` (`hf:<name>`). */
export const HF_PREFIX = 'hf:';

/**
 * Where `hf:<name>` tokenizers come from: the text of the name's `tokenizer.json`, or undefined
 * when there is none. The engine does no I/O: the process installs one (a folder the server is
 * configured with, see core-services), in every thread that chunks.
 */
export interface TokenizerSource {
  read(name: string): string | undefined;
  /** The names it holds, for the strategy catalog. */
  names(): string[];
}

let source: TokenizerSource | undefined;
const loaded = new Map<string, HfTokenizer>();

/** Installs (or, undefined, removes) this thread's tokenizer source; loaded tokenizers are dropped. */
export function useTokenizerSource(next: TokenizerSource | undefined): void {
  source = next;
  loaded.clear();
}

/** The `hf:` names this thread can size with (empty when no source is installed). */
export function hfTokenizerNames(): string[] {
  return (source?.names() ?? []).map((name) => `${HF_PREFIX}${name}`);
}

/** Counts tokens of one Hugging Face tokenizer: the tokens of the text alone, no special tokens. */
export interface HfTokenizer {
  readonly name: string;
  count(text: string): number;
}

function unknown(name: string, reason: string): InvalidConfigError {
  return new InvalidConfigError(`Unknown tokenizer "${name}": ${reason}`, 'tokenizer');
}

/**
 * The tokenizer `hf:<name>`, loaded from the source on first use and kept for the thread's life
 * (a tokenizer.json is parsed once; the source bounds its size). INVALID_CONFIG for a name the
 * source does not hold or a file the library cannot read as a tokenizer.
 */
export function hfTokenizer(tokenizer: string): HfTokenizer {
  const cached = loaded.get(tokenizer);
  if (cached) return cached;
  const name = tokenizer.slice(HF_PREFIX.length);
  if (!source) throw unknown(tokenizer, 'no tokenizer folder is configured');
  const json = source.read(name);
  if (json === undefined) throw unknown(tokenizer, `the tokenizer folder has no ${name}/tokenizer.json`);
  let parsed: Tokenizer;
  try {
    parsed = new Tokenizer(JSON.parse(json) as object, {});
  } catch (error) {
    throw new InvalidConfigError(
      `Tokenizer "${tokenizer}" is not a tokenizer.json this server can read`,
      'tokenizer',
      {
        cause: error,
      },
    );
  }
  const loadedTokenizer: HfTokenizer = {
    name: tokenizer,
    // Special tokens ([CLS], [SEP], <s>…) frame a whole model input, not a chunk: a chunk's count is
    // its text's, as for the BPE encodings.
    count: (text) => (text.length === 0 ? 0 : parsed.encode(text, { add_special_tokens: false }).ids.length),
  };
  loaded.set(tokenizer, loadedTokenizer);
  return loadedTokenizer;
}

export function isHfTokenizerName(tokenizer: string): boolean {
  return tokenizer.startsWith(HF_PREFIX);
}
