import type { EmbedContext, NormalizedConfig } from '@chunkflow/chunkers';
import { type ChunkTable, chunkTableOf, type TableChunk } from './chunk-table.ts';
import { chunksForEmbedding } from './chunk-table-stream.ts';

/** A document to chunk for storage, with what heads its chunks' embedText. */
export interface DocumentText extends EmbedContext {
  text: string;
}

/**
 * Each document's chunks for retrieval (the chunks `sendChunkTables` sends, token counts read) as
 * one table, document after document: the work of one task for a batch of an operation's
 * documents. Only for documents whose chunks fit in memory at once.
 */
export async function tablesOfDocuments(
  documents: readonly DocumentText[],
  config: NormalizedConfig,
  signal?: AbortSignal,
): Promise<ChunkTable[]> {
  const tables: ChunkTable[] = [];
  for (const { text, title, outline } of documents) {
    signal?.throwIfAborted();
    const chunks: TableChunk[] = [];
    for await (const segment of chunksForEmbedding(text, config, { title, outline })) {
      for (const chunk of segment) chunks.push(chunk);
    }
    tables.push(chunkTableOf(chunks));
  }
  return tables;
}
