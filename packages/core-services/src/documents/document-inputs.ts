import type { JsonObject, SourceFile } from '@chunkflow/db';

/** What a document is made from: its name, declared type and metadata, and its text (with the file it came from). */

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
