import type { NewChunk } from '../src/index.ts';

const sentence = 'Retrieval finds what the chunks let it find, so every cut and header counts. ';
/** Each chunk's text after its tag: ~400 chars, the size a recursive 400-char chunking makes. */
export const CHUNK_TEXT = sentence.repeat(5);

/**
 * A document's chunks as a retrieval-ready chunking writes them (content, embed header, heading
 * metadata), each tagged with `tag` and the document, so every write differs from the last.
 */
export function benchChunks(document: number, tag: string | number, count: number): NewChunk[] {
  return Array.from({ length: count }, (_, chunkIndex) => ({
    chunkIndex,
    startOffset: chunkIndex * CHUNK_TEXT.length,
    endOffset: (chunkIndex + 1) * CHUNK_TEXT.length,
    charCount: CHUNK_TEXT.length,
    tokenCount: 80,
    content: `${tag}:${document}:${chunkIndex} ${CHUNK_TEXT}`,
    embedHeader: `document ${document}\nPart > Section ${chunkIndex % 7}\n\n`,
    embedTokenCount: 90,
    metadata: { headings: ['Part', `Section ${chunkIndex % 7}`] },
  }));
}
