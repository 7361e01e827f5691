import { createHash } from 'node:crypto';
import type { ConvertedDocument } from '@chunkflow/converters';
import type { Database, Document, DocumentSummary, JsonObject, Page, SourceFile } from '@chunkflow/db';
import { DocumentTooLargeError, InvalidDocumentError, NotFoundError } from '@chunkflow/errors';
import type { MemoryPool } from '@chunkflow/mempool';
import type { DocumentConverter } from '../conversion/converter.ts';
import type { AuthenticatedTenant } from '../ports.ts';
import type { StatisticsService } from '../statistics/statistics-service.ts';
import { readUploadedBytes, type UploadLimits } from './upload-reader.ts';

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

export interface DocumentLimits extends UploadLimits {
  /** How long converting one uploaded file may take before it is refused (INVALID_DOCUMENT). */
  conversionTimeoutMs?: number | undefined;
}

const DEFAULT_CONVERSION_TIMEOUT_MS = 60_000;

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
  readonly #limits: DocumentLimits;
  readonly #converter: Pick<DocumentConverter, 'convert'>;

  constructor(
    database: Database,
    statistics: StatisticsService,
    uploadPool: MemoryPool,
    limits: DocumentLimits,
    converter: Pick<DocumentConverter, 'convert'>,
  ) {
    this.#database = database;
    this.#statistics = statistics;
    this.#uploadPool = uploadPool;
    this.#limits = limits;
    this.#converter = converter;
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
      ...(input.source ? { source: input.source } : {}),
    });
    await this.#statistics.invalidate(tenant.id, collectionId);
    return document;
  }

  /**
   * Streams a raw body in through the upload memory pool (see readUploadedBytes), converts it off
   * the event loop (PDF, DOCX, HTML, Markdown, text; see @chunkflow/converters) within the
   * conversion time budget, then stores its text with the file's hash, size, pages and provenance.
   * A file refused (UNSUPPORTED_DOCUMENT, INVALID_DOCUMENT) stores nothing.
   */
  async upload(
    tenant: AuthenticatedTenant,
    collectionId: string,
    description: DocumentDescription,
    body: AsyncIterable<Uint8Array>,
    declaredBytes?: number,
  ): Promise<DocumentSummary> {
    await this.#requireCollection(tenant, collectionId);
    const bytes = await readUploadedBytes(body, this.#uploadPool, this.#limits, declaredBytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const size = bytes.byteLength;
    const converted = await this.#convert(bytes, description);
    return this.create(tenant, collectionId, {
      ...description,
      contentType: converted.contentType,
      content: converted.text,
      source: {
        sha256,
        bytes: size,
        pageCount: converted.pageCount,
        provenance: converted.provenance as unknown as JsonObject,
      },
    });
  }

  async #convert(bytes: Uint8Array, { contentType, name }: DocumentDescription): Promise<ConvertedDocument> {
    const timeoutMs = this.#limits.conversionTimeoutMs ?? DEFAULT_CONVERSION_TIMEOUT_MS;
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      return await this.#converter.convert({ bytes, contentType, name }, { signal });
    } catch (error) {
      if (!signal.aborted) throw error;
      throw new InvalidDocumentError('budget', `Converting the document took longer than ${timeoutMs} ms`, {
        cause: error,
      });
    }
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
