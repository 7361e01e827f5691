import cl100kRanks from 'gpt-tokenizer/bpeRanks/cl100k_base';
import o200kRanks from 'gpt-tokenizer/bpeRanks/o200k_base';
import cl100k from 'gpt-tokenizer/encoding/cl100k_base';
import o200k from 'gpt-tokenizer/encoding/o200k_base';
import { CL100K_TOKEN_SPLIT_REGEX, O200K_TOKEN_SPLIT_REGEX } from 'gpt-tokenizer/encodingParams/constants';
import type { TokenizerName } from '../types.ts';

/**
 * Special-token strings (e.g. `<|endoftext|>`) in a document are ordinary text: counted the way
 * the model sees user content, and never a reason to throw.
 */
const asPlainText = { disallowedSpecial: new Set<string>() };

/** One BPE encoding as the sizers need it. */
export interface Encoding {
  readonly name: TokenizerName;
  /** Token ids of `text`, one array per pre-tokenizer piece, in order. */
  pieces(text: string): Iterable<number[]>;
  count(text: string): number;
  /** UTF-8 length of each token id. */
  readonly tokenBytes: Uint8Array;
  /**
   * UTF-16 length of each token that decodes to whole characters, 0 for byte tokens that hold part
   * of a character. A whole-character token starts and ends between code points of the text.
   */
  readonly tokenUnits: Uint16Array;
  /** A sticky copy of the pre-tokenizer pattern, to re-segment from an arbitrary offset. */
  readonly splitPattern: RegExp;
}

function utf8Length(value: string): number {
  let bytes = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

type Ranks = readonly (string | readonly number[])[];

function tokenByteTable(ranks: Ranks): Uint8Array {
  const table = new Uint8Array(ranks.length);
  ranks.forEach((value, rank) => {
    table[rank] = typeof value === 'string' ? utf8Length(value) : value.length;
  });
  return table;
}

function tokenUnitTable(ranks: Ranks): Uint16Array {
  const table = new Uint16Array(ranks.length);
  ranks.forEach((value, rank) => {
    if (typeof value === 'string') table[rank] = value.length;
  });
  return table;
}

function makeEncoding(
  name: TokenizerName,
  api: typeof cl100k,
  ranks: Ranks,
  pattern: RegExp,
): () => Encoding {
  let encoding: Encoding | undefined;
  // The byte table costs a pass over the vocabulary: build it on first use only.
  return () => {
    encoding ??= {
      name,
      pieces: (text) => api.encodeGenerator(text, asPlainText),
      count: (text) => api.countTokens(text, asPlainText),
      tokenBytes: tokenByteTable(ranks),
      tokenUnits: tokenUnitTable(ranks),
      splitPattern: new RegExp(pattern.source, 'uy'),
    };
    return encoding;
  };
}

const encodings: Record<TokenizerName, () => Encoding> = {
  cl100k_base: makeEncoding('cl100k_base', cl100k, cl100kRanks, CL100K_TOKEN_SPLIT_REGEX),
  o200k_base: makeEncoding('o200k_base', o200k, o200kRanks, O200K_TOKEN_SPLIT_REGEX),
};

export function getEncoding(name: TokenizerName): Encoding {
  return encodings[name]();
}

/** Exact token count of `text` under `tokenizer`, special-token strings counted as text. */
export function countTokens(text: string, tokenizer: TokenizerName): number {
  return text.length === 0 ? 0 : getEncoding(tokenizer).count(text);
}
