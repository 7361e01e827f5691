import { createRequire } from 'node:module';
import type { GptEncoding } from 'gpt-tokenizer/GptEncoding';
import { DEFAULT_TOKENIZER } from '../options.ts';
import type { TokenizerName } from '../types.ts';
import { bytePairMergeByHeap } from './heap-merge.ts';
import { hfTokenizer, isHfTokenizerName } from './hf-tokenizers.ts';
import { cl100kPieceEnd, NOT_ASCII, o200kPieceEnd } from './piece-scanner.ts';
import { PieceTokens } from './piece-tokens.ts';

/** The BPE encodings the engine ships. */
export type BpeName = Exclude<TokenizerName, `hf:${string}`>;

/** One BPE encoding as the sizers need it. */
export interface Encoding {
  readonly name: BpeName;
  /**
   * Where the pre-tokenizer piece of `text` that starts at `start` (< text.length) ends: a piece
   * starts at 0 and at each piece's end.
   */
  pieceEnd(text: string, start: number): number;
  /**
   * How the piece `text.slice(start, end)` (one piece, see `pieceEnd`) is tokenized: undefined
   * when it is a single token, else the UTF-16 offset inside the piece where each of its tokens
   * ends, -1 for a token that ends inside a code point (a byte token holding part of a character).
   */
  tokenEnds(text: string, start: number, end: number): Int32Array | undefined;
  /**
   * Token count of `text`. Special-token strings (e.g. `<|endoftext|>`) are ordinary text: counted
   * the way the model sees user content, never a reason to throw.
   */
  count(text: string): number;
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

/**
 * Each vocabulary costs ~40 MB of heap and ~80 ms to load, and character-sized chunking may never
 * count a token: an encoding is loaded (synchronously, through the package's CommonJS build) and
 * its tables built on first use only.
 */
const require = createRequire(import.meta.url);

interface EncodingModules {
  api: GptEncoding;
  ranks: Ranks;
  pattern: RegExp;
}

function loadModules(name: BpeName): EncodingModules {
  const constants: {
    CL100K_TOKEN_SPLIT_REGEX: RegExp;
    O200K_TOKEN_SPLIT_REGEX: RegExp;
  } = require('gpt-tokenizer/cjs/encodingParams/constants');
  return {
    api: (require(`gpt-tokenizer/cjs/encoding/${name}`) as { default: GptEncoding }).default,
    ranks: (require(`gpt-tokenizer/cjs/bpeRanks/${name}`) as { default: Ranks }).default,
    pattern: name === 'cl100k_base' ? constants.CL100K_TOKEN_SPLIT_REGEX : constants.O200K_TOKEN_SPLIT_REGEX,
  };
}

/** The part of the package's BPE core whose merge is replaced for long pieces. */
export interface MergeCore {
  bytePairMerge(piece: Uint8Array): number[];
  getBpeRankFromBytes(bytes: Uint8Array): number | undefined;
}

function mergeCoreOf(api: GptEncoding): MergeCore {
  return (api as unknown as { bytePairEncodingCoreProcessor: MergeCore }).bytePairEncodingCoreProcessor;
}

/** The BPE core of an encoding as the package loads it (its prototype keeps the package's merge). */
export function encodingMergeCore(name: BpeName): MergeCore {
  return mergeCoreOf(loadModules(name).api);
}

/** Below this many bytes the package's own merge is as fast (and pieces of real text are short). */
const HEAP_MERGE_MIN_BYTES = 256;

/**
 * Routes long pieces (a word thousands of characters long: base64, minified code, text without
 * spaces) to the O(n log n) merge, which gives the same tokens as the package's O(n²) one.
 */
function mergeLongPiecesByHeap(api: GptEncoding): void {
  const core = mergeCoreOf(api);
  const packaged = core.bytePairMerge.bind(core);
  const rankOf = (bytes: Uint8Array) => core.getBpeRankFromBytes(bytes);
  core.bytePairMerge = (piece) =>
    piece.length < HEAP_MERGE_MIN_BYTES ? packaged(piece) : bytePairMergeByHeap(piece, rankOf);
}

/** The package's map from a token's text to its id (the tokens that are whole characters). */
function stringRanksOf(api: GptEncoding): ReadonlyMap<string, number> {
  return (
    api as unknown as { bytePairEncodingCoreProcessor: { bytePairStringRankEncoder: Map<string, number> } }
  ).bytePairEncodingCoreProcessor.bytePairStringRankEncoder;
}

/** Each encoding's pre-tokenizer over ASCII (piece-scanner.ts). */
const asciiScanners: Record<BpeName, (text: string, start: number, end: number) => number> = {
  cl100k_base: cl100kPieceEnd,
  o200k_base: o200kPieceEnd,
};

function makeEncoding(name: BpeName): () => Encoding {
  let encoding: Encoding | undefined;
  return () => {
    if (encoding) return encoding;
    const { api, ranks, pattern } = loadModules(name);
    mergeLongPiecesByHeap(api);
    const core = mergeCoreOf(api);
    const pieces = new PieceTokens(stringRanksOf(api), (bytes) => core.bytePairMerge(bytes), {
      tokenBytes: tokenByteTable(ranks),
      tokenUnits: tokenUnitTable(ranks),
    });
    // Two instances: a sticky pattern carries its position, so the counter and the splitter each need one.
    const stickyPattern = () => new RegExp(pattern.source, 'uy');
    const piecePattern = stickyPattern();
    const scanAscii = asciiScanners[name];
    // The pattern matches at every position, so a sticky `test` from `start` always succeeds.
    const pieceEnd = (text: string, start: number) => {
      const end = scanAscii(text, start, text.length);
      if (end !== NOT_ASCII) return end;
      piecePattern.lastIndex = start;
      piecePattern.test(text);
      return piecePattern.lastIndex;
    };
    encoding = {
      name,
      pieceEnd,
      tokenEnds: (text, start, end) => pieces.tokenEnds(text, start, end),
      count: (text) => {
        let count = 0;
        for (let start = 0, end = 0; start < text.length; start = end) {
          end = pieceEnd(text, start);
          count += pieces.tokenCount(text, start, end);
        }
        return count;
      },
      splitPattern: stickyPattern(),
    };
    return encoding;
  };
}

const encodings: Record<BpeName, () => Encoding> = {
  cl100k_base: makeEncoding('cl100k_base'),
  o200k_base: makeEncoding('o200k_base'),
};

export function getEncoding(name: BpeName): Encoding {
  return encodings[name]();
}

/**
 * Loads the default encoding now instead of at its first count: a process about to serve pays the
 * load (~80 ms, several times that under a TypeScript loader) before it serves, not inside the
 * first request that counts a token, where it stalls every request behind it.
 */
export function preloadDefaultEncoding(): void {
  getEncoding(DEFAULT_TOKENIZER);
}

/** Exact token count of `text` under `tokenizer`, special-token strings counted as text. */
export function countTokens(text: string, tokenizer: TokenizerName): number {
  if (text.length === 0) return 0;
  return isHfTokenizerName(tokenizer)
    ? hfTokenizer(tokenizer).count(text)
    : getEncoding(tokenizer as BpeName).count(text);
}
