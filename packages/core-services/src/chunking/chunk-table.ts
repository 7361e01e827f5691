import type { Chunk, EmbeddableChunk } from '@chunkflow/chunkers';
import type { JsonObject, NewChunk } from '@chunkflow/db';
import { withDocumentMetadata } from './chunk-output.ts';

/**
 * A document's chunks in the form they are stored, built where they were chunked (a worker
 * thread): offsets and exact token counts in typed arrays, metadata as JSON. It crosses threads
 * as a few flat buffers instead of one object per chunk, so receiving 100,000 chunks costs the
 * event loop a copy, not a structured clone of every chunk; contents are cut from the document
 * text (a slice, no copy) while they are written. Chunk `i` has index `i` (the engine numbers
 * chunks by position).
 */
export interface ChunkTable {
  startOffsets: Int32Array;
  endOffsets: Int32Array;
  tokenCounts: Int32Array;
  /** Exact token counts of each chunk's embedText. */
  embedTokenCounts: Int32Array;
  /** Each chunk's metadata as JSON, one line per chunk (JSON text never holds a raw newline). */
  metadataLines: string;
  /** Each chunk's context header (embedText less content) as a JSON string, one line per chunk. */
  embedHeaderLines: string;
}

/** A chunk of the engine, with its embedText when it was chunked for retrieval. */
type TableChunk = Chunk & Partial<Pick<EmbeddableChunk, 'embedText' | 'embedTokenCount'>>;

function headerOf(chunk: TableChunk): string {
  return chunk.embedText === undefined
    ? ''
    : chunk.embedText.slice(0, chunk.embedText.length - chunk.content.length);
}

/** The line starting at `start`: the text up to the next newline, and where the one after starts. */
function nextLine(lines: string, start: number): [line: string, next: number] {
  const end = lines.indexOf('\n', start);
  return [lines.slice(start, end === -1 ? undefined : end), end + 1];
}

/** Reads every chunk's token count (a BPE encode when sized in chars): call it off the event loop. */
export function chunkTableOf(chunks: readonly TableChunk[]): ChunkTable {
  const table: ChunkTable = {
    startOffsets: new Int32Array(chunks.length),
    endOffsets: new Int32Array(chunks.length),
    tokenCounts: new Int32Array(chunks.length),
    embedTokenCounts: new Int32Array(chunks.length),
    metadataLines: chunks.map((chunk) => JSON.stringify(chunk.metadata ?? {})).join('\n'),
    embedHeaderLines: chunks.map((chunk) => JSON.stringify(headerOf(chunk))).join('\n'),
  };
  chunks.forEach((chunk, index) => {
    table.startOffsets[index] = chunk.startOffset;
    table.endOffsets[index] = chunk.endOffset;
    table.tokenCounts[index] = chunk.tokenCount;
    table.embedTokenCounts[index] = chunk.embedTokenCount ?? chunk.tokenCount;
  });
  return table;
}

/**
 * The stored rows of a table, made one at a time as the writer asks for them; the document's
 * metadata goes under each chunk's own.
 */
export function* storedChunks(
  text: string,
  table: ChunkTable,
  documentMetadata?: JsonObject,
): Generator<NewChunk> {
  let metadataStart = 0;
  let headerStart = 0;
  for (let index = 0; index < table.startOffsets.length; index++) {
    const [metadataJson, nextMetadata] = nextLine(table.metadataLines, metadataStart);
    const [headerJson, nextHeader] = nextLine(table.embedHeaderLines, headerStart);
    metadataStart = nextMetadata;
    headerStart = nextHeader;
    const startOffset = table.startOffsets[index] as number;
    const endOffset = table.endOffsets[index] as number;
    yield {
      chunkIndex: index,
      startOffset,
      endOffset,
      charCount: endOffset - startOffset,
      tokenCount: table.tokenCounts[index] as number,
      content: text.slice(startOffset, endOffset),
      embedHeader: JSON.parse(headerJson) as string,
      embedTokenCount: table.embedTokenCounts[index] as number,
      metadata: withDocumentMetadata(JSON.parse(metadataJson) as JsonObject, documentMetadata),
    };
  }
}
