// The JavaScript chunkers we measure against, each set up as its docs suggest, plus tokenizer
// baselines. `run` returns chunk texts (and offsets when the library reports them) so every
// peer's output can be checked for sanity before it is timed.
import { FastChunker, RecursiveChunker, TokenChunker, Tokenizer } from '@chonkiejs/core';
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import { SentenceSplitter } from '@llamaindex/core/node-parser';
import cl100k from 'gpt-tokenizer/encoding/cl100k_base';
import { getEncoding } from 'js-tiktoken';

export interface PeerOutput {
  texts: string[];
  offsets?: [number, number][];
}

export interface Peer {
  name: string;
  group: 'chars' | 'tokens' | 'baseline';
  run(text: string): PeerOutput | Promise<PeerOutput>;
}

const tiktoken = getEncoding('cl100k_base');
// Special-token text such as "<|endoftext|>" is plain text here, as it is for our engine.
const tiktokenEncode = (text: string) => tiktoken.encode(text, [], []);
const tiktokenLength = (text: string) => tiktokenEncode(text).length;
const plainText = { disallowedSpecial: new Set<string>() };

/** chonkie's Tokenizer contract over js-tiktoken (its own token models download from the Hub). */
class TiktokenTokenizer extends Tokenizer {
  override countTokens(text: string): number {
    return tiktokenLength(text);
  }
  override encode(text: string): number[] {
    return tiktokenEncode(text);
  }
  override decode(tokens: number[]): string {
    return tiktoken.decode(tokens);
  }
}

type ChonkieChunk = { text: string; startIndex: number; endIndex: number };
const fromChonkie = (chunks: ChonkieChunk[]): PeerOutput => ({
  texts: chunks.map((c) => c.text),
  offsets: chunks.map((c) => [c.startIndex, c.endIndex]),
});

export async function createPeers(): Promise<Peer[]> {
  const langchainChars = new RecursiveCharacterTextSplitter({ chunkSize: 1000, chunkOverlap: 200 });
  const langchainTokens = new RecursiveCharacterTextSplitter({
    chunkSize: 256,
    chunkOverlap: 32,
    lengthFunction: tiktokenLength,
  });
  const chonkieRecursive = await RecursiveChunker.create({ chunkSize: 1000 });
  const chonkieFast = await FastChunker.create({ chunkSize: 1000 });
  const chonkieTokens = await TokenChunker.create({
    tokenizer: new TiktokenTokenizer(),
    chunkSize: 256,
    chunkOverlap: 32,
  });
  const llamaIndex = new SentenceSplitter({ chunkSize: 256, chunkOverlap: 32 });
  return [
    {
      name: 'LangChain RecursiveCharacterTextSplitter 1000/200 chars',
      group: 'chars',
      run: async (t) => ({ texts: await langchainChars.splitText(t) }),
    },
    {
      name: 'chonkie RecursiveChunker 1000 chars',
      group: 'chars',
      run: async (t) => fromChonkie(await chonkieRecursive.chunk(t)),
    },
    {
      name: 'chonkie FastChunker (WASM) 1000 bytes',
      group: 'chars',
      run: (t) => fromChonkie(chonkieFast.chunk(t)),
    },
    {
      name: 'LangChain recursive 256/32 tokens + js-tiktoken',
      group: 'tokens',
      run: async (t) => ({ texts: await langchainTokens.splitText(t) }),
    },
    {
      name: 'chonkie TokenChunker 256/32 + js-tiktoken',
      group: 'tokens',
      run: async (t) => fromChonkie(await chonkieTokens.chunk(t)),
    },
    {
      name: 'LlamaIndex SentenceSplitter 256/32 tokens',
      group: 'tokens',
      run: (t) => ({ texts: llamaIndex.splitText(t) }),
    },
    {
      name: 'baseline: gpt-tokenizer encode (cl100k)',
      group: 'baseline',
      run: (t) => ({ texts: [String(cl100k.encode(t, plainText).length)] }),
    },
    {
      name: 'baseline: js-tiktoken encode (cl100k)',
      group: 'baseline',
      run: (t) => ({ texts: [String(tiktokenLength(t))] }),
    },
  ];
}
