import type { Database } from '@chunkflow/db';
import { DocumentTooLargeError, NotFoundError } from '@chunkflow/errors';
import type { AuthenticatedTenant } from '../ports.ts';
import { type DocumentContext, documentContextOf } from './chunk-output.ts';

export interface TextSource {
  content?: string | undefined;
  documentId?: string | undefined;
}

/** A text to chunk, and what its document adds to the chunks (nothing for a text given inline). */
export interface LoadedText {
  text: string;
  context: DocumentContext;
}

/** The text a preview or comparison works on: given inline or read from the tenant's documents. */
export class DocumentSource {
  readonly #database: Database;
  readonly #maxChars: number;

  constructor(database: Database, maxChars: number) {
    this.#database = database;
    this.#maxChars = maxChars;
  }

  async load(tenant: AuthenticatedTenant, source: TextSource): Promise<LoadedText> {
    const loaded =
      source.content === undefined
        ? await this.#readDocument(tenant, source.documentId ?? '')
        : { text: source.content, context: {} };
    if (loaded.text.length > this.#maxChars) {
      throw new DocumentTooLargeError(loaded.text.length, this.#maxChars, { details: { unit: 'chars' } });
    }
    return loaded;
  }

  async #readDocument(tenant: AuthenticatedTenant, documentId: string): Promise<LoadedText> {
    const document = await this.#database.documents.get(tenant.id, documentId);
    if (!document) throw new NotFoundError('Document', documentId);
    return { text: document.content, context: documentContextOf(document) };
  }
}
