import type { Database, Document, DocumentSummary, JsonObject, Page } from '@chunkflow/db';
import { DocumentTooLargeError, NotFoundError } from '@chunkflow/errors';
import type { MemoryPool } from '@chunkflow/mempool';
import type { AuthenticatedTenant } from '../ports.ts';
import type { StatisticsService } from '../statistics/statistics-service.ts';
import { readUploadedText, type UploadLimits } from './upload-reader.ts';

export interface DocumentDescription {
  name: string;
  contentType?: string | undefined;
  metadata?: JsonObject | undefined;
}

export interface NewDocumentInput extends DocumentDescription {
  content: string;
}

export interface ListDocumentsInput {
  collectionId: string;
  cursor?: string | undefined;
  limit: number;
}

const DEFAULT_CONTENT_TYPE = 'text/plain';

/** Documents of a tenant's collections; each content is stored once per collection. */
export class DocumentService {
  readonly #database: Database;
  readonly #statistics: StatisticsService;
  readonly #uploadPool: MemoryPool;
  readonly #limits: UploadLimits;

  constructor(
    database: Database,
    statistics: StatisticsService,
    uploadPool: MemoryPool,
    limits: UploadLimits,
  ) {
    this.#database = database;
    this.#statistics = statistics;
    this.#uploadPool = uploadPool;
    this.#limits = limits;
  }

  /** CONFLICT (with `details.existingDocumentId`) when the collection already holds this content. */
  async create(
    tenant: AuthenticatedTenant,
    collectionId: string,
    input: NewDocumentInput,
  ): Promise<DocumentSummary> {
    const sizeBytes = Buffer.byteLength(input.content, 'utf8');
    if (sizeBytes > this.#limits.maxBytes) throw new DocumentTooLargeError(sizeBytes, this.#limits.maxBytes);
    const document = await this.#database.documents.create(tenant.id, collectionId, {
      name: input.name,
      contentType: input.contentType ?? DEFAULT_CONTENT_TYPE,
      content: input.content,
      ...(input.metadata ? { metadata: input.metadata } : {}),
    });
    await this.#statistics.invalidate(tenant.id, collectionId);
    return document;
  }

  /** Streams a raw body in through the upload memory pool (see readUploadedText), then stores it. */
  async upload(
    tenant: AuthenticatedTenant,
    collectionId: string,
    description: DocumentDescription,
    body: AsyncIterable<Uint8Array>,
    declaredBytes?: number,
  ): Promise<DocumentSummary> {
    await this.#requireCollection(tenant, collectionId);
    const content = await readUploadedText(body, this.#uploadPool, this.#limits, declaredBytes);
    return this.create(tenant, collectionId, { ...description, content });
  }

  list(tenant: AuthenticatedTenant, input: ListDocumentsInput): Promise<Page<DocumentSummary>> {
    return this.#database.documents.list(tenant.id, input.collectionId, {
      ...(input.cursor ? { cursor: input.cursor } : {}),
      limit: input.limit,
    });
  }

  async get(tenant: AuthenticatedTenant, id: string): Promise<Document> {
    const document = await this.#database.documents.get(tenant.id, id);
    if (!document) throw new NotFoundError('Document', id);
    return document;
  }

  /** Removes the document and its chunks, and the collection's cached statistics with them. */
  async delete(tenant: AuthenticatedTenant, id: string): Promise<{ id: string; deleted: true }> {
    const collectionId = await this.#database.documents.delete(tenant.id, id);
    if (!collectionId) throw new NotFoundError('Document', id);
    await this.#statistics.invalidate(tenant.id, collectionId);
    return { id, deleted: true };
  }

  /** Checked before reading a body, so a wrong id does not cost an upload. */
  async #requireCollection(tenant: AuthenticatedTenant, collectionId: string): Promise<void> {
    if (!(await this.#database.collections.get(tenant.id, collectionId))) {
      throw new NotFoundError('Collection', collectionId);
    }
  }
}
