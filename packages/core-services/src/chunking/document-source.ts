import type { Database } from '@chunkflow/db';
import { DocumentTooLargeError, NotFoundError } from '@chunkflow/errors';
import type { AuthenticatedTenant } from '../ports.ts';

export interface TextSource {
  content?: string | undefined;
  documentId?: string | undefined;
}

/** The text a preview or comparison works on: given inline or read from the tenant's documents. */
export class DocumentSource {
  readonly #database: Database;
  readonly #maxChars: number;

  constructor(database: Database, maxChars: number) {
    this.#database = database;
    this.#maxChars = maxChars;
  }

  async load(tenant: AuthenticatedTenant, source: TextSource): Promise<string> {
    const text = source.content ?? (await this.#readDocument(tenant, source.documentId ?? ''));
    if (text.length > this.#maxChars) {
      throw new DocumentTooLargeError(text.length, this.#maxChars, { details: { unit: 'chars' } });
    }
    return text;
  }

  async #readDocument(tenant: AuthenticatedTenant, documentId: string): Promise<string> {
    const document = await this.#database.documents.get(tenant.id, documentId);
    if (!document) throw new NotFoundError('Document', documentId);
    return document.content;
  }
}
