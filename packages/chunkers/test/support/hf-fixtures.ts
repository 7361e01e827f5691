/**
 * Real Hugging Face tokenizer.json files, made here from a small corpus instead of downloaded: a
 * BERT-style WordPiece tokenizer whose vocabulary is the corpus's words plus every character (as a
 * word start and as a `##` continuation) and a few common suffixes, and a GPT-2-style byte-level
 * BPE tokenizer whose merges are learnt from the corpus by the BPE training loop (merge the most
 * frequent adjacent pair, again and again). Both are read by @huggingface/tokenizers as it reads
 * any model's file.
 */

export const CORPUS = [
  'Chunking splits documents into pieces an embedding model can read.',
  'Each chunk keeps its exact offsets, so citations point at the source.',
  'The tokenizer of the embedding model decides how many tokens a chunk holds.',
  'Retrieval works better when chunks are neither too small nor too large.',
  'Headings, tables and lists give documents their structure.',
].join(' ');

const WORD_PIECE_SUFFIXES = ['##s', '##ing', '##ed', '##er', '##ly', '##able'];
const SPECIAL = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];

function addedTokens(tokens: string[]) {
  return tokens.map((content, id) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  }));
}

/** Words of the corpus as the BERT pre-tokenizer sees them (lowercased, punctuation apart). */
export function corpusWords(text = CORPUS): string[] {
  return text.toLowerCase().match(/[a-z0-9]+|[^\sa-z0-9]/g) ?? [];
}

/** A BERT-style WordPiece tokenizer.json; `extraWords` join the vocabulary as whole words. */
export function wordPieceTokenizer(extraWords: string[] = []): string {
  const vocabulary = [...SPECIAL];
  const add = (token: string) => {
    if (!vocabulary.includes(token)) vocabulary.push(token);
  };
  const characters = new Set([...CORPUS.toLowerCase()].filter((character) => character.trim() !== ''));
  for (const character of characters) add(character);
  for (const character of characters) add(`##${character}`);
  for (const word of [...corpusWords(), ...extraWords]) add(word);
  for (const suffix of WORD_PIECE_SUFFIXES) add(suffix);
  const ids = Object.fromEntries(vocabulary.map((token, id) => [token, id]));
  const special = (token: string) => ({ id: token, ids: [ids[token]], tokens: [token] });
  return JSON.stringify({
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: addedTokens(SPECIAL),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: { '[CLS]': special('[CLS]'), '[SEP]': special('[SEP]') },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: ids,
    },
  });
}

/** GPT-2's map of the 256 byte values onto printable characters (byte-level BPE's alphabet). */
export function byteAlphabet(): string[] {
  const printable = [
    ...Array.from({ length: 94 }, (_, i) => 33 + i),
    ...Array.from({ length: 12 }, (_, i) => 161 + i),
    ...Array.from({ length: 82 }, (_, i) => 174 + i),
  ];
  const alphabet: string[] = [];
  let extra = 0;
  for (let byte = 0; byte < 256; byte++) {
    alphabet[byte] = String.fromCodePoint(printable.includes(byte) ? byte : 256 + extra++);
  }
  return alphabet;
}

/** The pieces byte-level BPE is trained on: words with their leading space, in the byte alphabet. */
function bytePieces(text: string, alphabet: string[]): string[][] {
  const encoder = new TextEncoder();
  return (text.match(/ ?[A-Za-z]+| ?[0-9]+| ?[^\sA-Za-z0-9]+|\s+/g) ?? []).map((piece) =>
    [...encoder.encode(piece)].map((byte) => alphabet[byte] as string),
  );
}

/**
 * A GPT-2-style byte-level BPE tokenizer.json with `merges` merges learnt from the corpus: each
 * round merges the most frequent adjacent pair of symbols (ties to the first seen).
 */
export function byteLevelBpeTokenizer(merges = 120): string {
  const alphabet = byteAlphabet();
  const vocabulary = new Map<string, number>([['<|endoftext|>', 0]]);
  for (const symbol of alphabet) vocabulary.set(symbol, vocabulary.size);
  const words = bytePieces(CORPUS, alphabet);
  const learnt: string[] = [];
  for (let round = 0; round < merges; round++) {
    const counts = new Map<string, number>();
    for (const word of words) {
      for (let i = 0; i + 1 < word.length; i++) {
        const pair = `${word[i]} ${word[i + 1]}`;
        counts.set(pair, (counts.get(pair) ?? 0) + 1);
      }
    }
    let best: string | undefined;
    for (const [pair, count] of counts)
      if (best === undefined || count > (counts.get(best) ?? 0)) best = pair;
    if (best === undefined) break;
    const [left, right] = best.split(' ') as [string, string];
    learnt.push(best);
    vocabulary.set(left + right, vocabulary.size);
    for (const word of words) {
      for (let i = 0; i + 1 < word.length; i++) {
        if (word[i] === left && word[i + 1] === right) word.splice(i, 2, left + right);
      }
    }
  }
  return JSON.stringify({
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: addedTokens(['<|endoftext|>']),
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      vocab: Object.fromEntries(vocabulary),
      merges: learnt,
    },
  });
}
