import type { JsonObject } from '@chunkflow/db';

/** What a document adds to its chunks: the title their context headers start with, and its metadata. */
export interface DocumentContext {
  title?: string | undefined;
  metadata?: JsonObject | undefined;
}

/** A document's own `metadata.title` when it has one (a converted PDF's, say), else its name. */
export function documentContextOf(document: { name: string; metadata: JsonObject }): DocumentContext {
  const { title } = document.metadata;
  return {
    title: typeof title === 'string' && title.trim() !== '' ? title : document.name,
    metadata: document.metadata,
  };
}

/** The document's metadata under the strategy's: a strategy key (headings, pages, …) is never overwritten. */
export function withDocumentMetadata<Metadata extends object>(
  chunkMetadata: Metadata,
  documentMetadata: JsonObject | undefined,
): Metadata {
  if (documentMetadata === undefined || Object.keys(documentMetadata).length === 0) return chunkMetadata;
  return { ...documentMetadata, ...chunkMetadata };
}
