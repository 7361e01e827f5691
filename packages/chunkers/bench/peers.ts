// The JavaScript chunkers we measure against, each set up as its docs suggest, plus one tokenizer
// pass as the floor. `run` returns chunk texts (and offsets when the library reports them) so every
// output can be checked for sanity before it is timed. Names follow the bench convention
// (docs/development.md, "Benchmarks"): `peer: …` and `floor: …` are references our figures are
// divided by; `compare: …` is shown to readers and not gated.
import { FastChunker, RecursiveChunker } from '@chonkiejs/core';
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import { SentenceSplitter } from '@llamaindex/core/node-parser';
import cl100k from 'gpt-tokenizer/encoding/cl100k_base';
import { getEncoding } from 'js-tiktoken';

export interface Output {
  texts: string[];
  offsets?: [number, number][];
}

export interface Contender {
  name: string;
  /** Seconds per run: timed once, without a warm-up. */
  slow?: boolean;
  /** A tokenizer pass: its output is the token count, not chunks. */
  tokenizerPass?: boolean;
  run(text: string): Output | Promise<Output>;
}

const tiktoken = getEncoding('cl100k_base');
// Special-token text such as "<|endoftext|>" is plain text here, as it is for our engine.
const tiktokenEncode = (text: string) => tiktoken.encode(text, [], []);
const tiktokenLength = (text: string) => tiktokenEncode(text).length;
const plainText = { disallowedSpecial: new Set<string>() };

type ChonkieChunk = { text: string; startIndex: number; endIndex: number };
const fromChonkie = (chunks: ChonkieChunk[]): Output => ({
  texts: chunks.map((c) => c.text),
  offsets: chunks.map((c) => [c.startIndex, c.endIndex]),
});

export async function charsPeers(): Promise<Contender[]> {
  const langchain = new RecursiveCharacterTextSplitter({ chunkSize: 1000, chunkOverlap: 200 });
  const chonkieRecursive = await RecursiveChunker.create({ chunkSize: 1000 });
  const chonkieFast = await FastChunker.create({ chunkSize: 1000 });
  return [
    {
      name: 'peer: LangChain RecursiveCharacterTextSplitter 1000/200 chars',
      run: async (t) => ({ texts: await langchain.splitText(t) }),
    },
    {
      name: 'peer: chonkie RecursiveChunker 1000 chars',
      run: async (t) => fromChonkie(await chonkieRecursive.chunk(t)),
    },
    { name: 'peer: chonkie FastChunker (WASM) 1000 bytes', run: (t) => fromChonkie(chonkieFast.chunk(t)) },
  ];
}

// chonkie's TokenChunker (over js-tiktoken) is left out: about a minute per run on this corpus
// (0.04 MB/s), with wrong offsets; chonkie is measured in the chars group.
export function tokenPeers(): Contender[] {
  const langchain = new RecursiveCharacterTextSplitter({
    chunkSize: 256,
    chunkOverlap: 32,
    lengthFunction: tiktokenLength,
  });
  const llamaIndex = new SentenceSplitter({ chunkSize: 256, chunkOverlap: 32 });
  return [
    {
      name: 'peer: LangChain recursive 256/32 tokens + js-tiktoken',
      slow: true,
      run: async (t) => ({ texts: await langchain.splitText(t) }),
    },
    {
      name: 'peer: LlamaIndex SentenceSplitter 256/32 tokens',
      slow: true,
      run: (t) => ({ texts: llamaIndex.splitText(t) }),
    },
  ];
}

/** One encode of the whole text: the floor any token-sized chunking is measured against first. */
export function floors(): Contender[] {
  return [
    {
      name: 'floor: one gpt-tokenizer pass (cl100k)',
      tokenizerPass: true,
      run: (t) => ({ texts: [String(cl100k.encode(t, plainText).length)] }),
    },
    {
      name: 'compare: one js-tiktoken pass (cl100k)',
      tokenizerPass: true,
      run: (t) => ({ texts: [String(tiktokenLength(t))] }),
    },
  ];
}
