import type { JsonObject, SourceFile } from '@chunkflow/db';

/** A document as described before its text is known: its name, declared type and metadata. */
export interface DocumentDescription {
  name: string;
  contentType?: string | undefined;
  metadata?: JsonObject | undefined;
}

export interface NewDocumentInput extends DocumentDescription {
  content: string;
  /** The file it was converted from; a document given as text is its own source. */
  source?: SourceFile | undefined;
}
