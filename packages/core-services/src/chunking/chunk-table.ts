import type { Chunk } from '@chunkflow/chunkers';
import type { JsonObject, NewChunk } from '@chunkflow/db';

/**
 * A run of a document's chunks in the form they are stored, built where they were chunked (a
 * worker thread): offsets and exact token counts in typed arrays, metadata as JSON. It crosses
 * threads as a few flat buffers instead of one object per chunk, so receiving thousands of chunks
 * costs the event loop a copy, not a structured clone of every chunk; contents are cut from the
 * document text (a slice, no copy) while they are written. Row `i` is the chunk of index
 * `firstIndex + i` (the engine numbers chunks by position).
 */
export interface ChunkTable {
  firstIndex: number;
  startOffsets: Int32Array;
  endOffsets: Int32Array;
  tokenCounts: Int32Array;
  /** Each chunk's metadata as JSON, one line per chunk (JSON text never holds a raw newline). */
  metadataLines: string;
}

/** Reads every chunk's token count (a BPE encode when sized in chars): call it off the event loop. */
export function chunkTableOf(chunks: readonly Chunk[]): ChunkTable {
  const table: ChunkTable = {
    firstIndex: chunks[0]?.index ?? 0,
    startOffsets: new Int32Array(chunks.length),
    endOffsets: new Int32Array(chunks.length),
    tokenCounts: new Int32Array(chunks.length),
    metadataLines: chunks.map((chunk) => JSON.stringify(chunk.metadata ?? {})).join('\n'),
  };
  chunks.forEach((chunk, index) => {
    table.startOffsets[index] = chunk.startOffset;
    table.endOffsets[index] = chunk.endOffset;
    table.tokenCounts[index] = chunk.tokenCount;
  });
  return table;
}

/** The buffers a table may hand over to another thread instead of copying them. */
export function transferablesOf(table: ChunkTable): ArrayBuffer[] {
  return [table.startOffsets, table.endOffsets, table.tokenCounts].map(
    (column) => column.buffer as ArrayBuffer,
  );
}

/** The stored rows of a document's tables, made one at a time as the writer asks for them. */
export async function* storedChunks(
  text: string,
  tables: AsyncIterable<ChunkTable> | Iterable<ChunkTable>,
): AsyncGenerator<NewChunk> {
  for await (const table of tables) yield* rowsOf(text, table);
}

/** One table's rows. */
export function* rowsOf(text: string, table: ChunkTable): Generator<NewChunk> {
  let lineStart = 0;
  for (let index = 0; index < table.startOffsets.length; index++) {
    const lineEnd = table.metadataLines.indexOf('\n', lineStart);
    const metadataJson = table.metadataLines.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
    lineStart = lineEnd + 1;
    const startOffset = table.startOffsets[index] as number;
    const endOffset = table.endOffsets[index] as number;
    yield {
      chunkIndex: table.firstIndex + index,
      startOffset,
      endOffset,
      charCount: endOffset - startOffset,
      tokenCount: table.tokenCounts[index] as number,
      content: text.slice(startOffset, endOffset),
      metadata: JSON.parse(metadataJson) as JsonObject,
    };
  }
}
