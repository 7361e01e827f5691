import type { Database, Document, DocumentSummary, Page } from '@chunkflow/db';
import { DocumentTooLargeError, NotFoundError } from '@chunkflow/errors';
import type { MemoryPool } from '@chunkflow/mempool';
import type { RequestLimiter } from '../limits/request-limiter.ts';
import type { AuthenticatedTenant } from '../ports.ts';
import type { StatisticsService } from '../statistics/statistics-service.ts';
import type { BulkResult, BulkSummary } from './bulk-results.ts';
import { tally } from './bulk-results.ts';
import { type BatchStoreDependencies, storeBatch, storedForm } from './document-batch.ts';
import { type ImportResultSink, importDocuments } from './document-import.ts';
import type { DocumentDescription, NewDocumentInput } from './document-inputs.ts';
import { documentFromFile, type FileConverter } from './file-conversion.ts';
import { readUploadedBytes, type UploadLimits } from './upload-reader.ts';

export type { DocumentDescription, NewDocumentInput } from './document-inputs.ts';

export interface DocumentLimits extends UploadLimits {
  /** How long converting one uploaded file may take before it is refused (INVALID_DOCUMENT). */
  conversionTimeoutMs?: number | undefined;
}

export interface ListDocumentsInput {
  collectionId: string;
  cursor?: string | undefined;
  limit: number;
}

/** Documents of a tenant's collections; each content is stored once per collection. */
export class DocumentService {
  readonly #database: Database;
  readonly #statistics: StatisticsService;
  readonly #uploadPool: MemoryPool;
  readonly #limits: DocumentLimits;
  readonly #converter: FileConverter;
  readonly #batches: BatchStoreDependencies;

  /** `bulkLimiter` counts the items of bulk writes against each key's `documents` budget. */
  constructor(
    database: Database,
    statistics: StatisticsService,
    uploadPool: MemoryPool,
    limits: DocumentLimits,
    converter: FileConverter,
    bulkLimiter: Pick<RequestLimiter, 'admitUpTo'>,
  ) {
    this.#database = database;
    this.#statistics = statistics;
    this.#uploadPool = uploadPool;
    this.#limits = limits;
    this.#converter = converter;
    this.#batches = { database, statistics, limiter: bulkLimiter, maxBytes: limits.maxBytes };
  }

  /** CONFLICT (with `details.existingDocumentId`) when the collection already holds this content. */
  async create(
    tenant: AuthenticatedTenant,
    collectionId: string,
    input: NewDocumentInput,
  ): Promise<DocumentSummary> {
    const sizeBytes = Buffer.byteLength(input.content, 'utf8');
    if (sizeBytes > this.#limits.maxBytes) throw new DocumentTooLargeError(sizeBytes, this.#limits.maxBytes);
    const document = await this.#database.documents.create(tenant.id, collectionId, storedForm(input));
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
    return this.create(
      tenant,
      collectionId,
      await documentFromFile(this.#converter, bytes, description, this.#limits.conversionTimeoutMs),
    );
  }

  /**
   * Stores texts as `create` does, many in one insert: each answered created, duplicate (the
   * collection holds its content: the holder's id) or refused with its typed error (too large,
   * NUL characters, past the key's `documents` budget).
   */
  async createMany(
    tenant: AuthenticatedTenant,
    collectionId: string,
    documents: readonly NewDocumentInput[],
  ): Promise<BulkResult> {
    const results = await storeBatch(
      this.#batches,
      tenant,
      collectionId,
      documents.map((document, index) => ({ index, name: document.name, document })),
    );
    return { ...tally({ created: 0, duplicates: 0, refused: 0 }, results), results };
  }

  /**
   * Imports an NDJSON body of files, converting each as `upload` does and storing them in batches;
   * each batch's results go to `emit` as it is stored (see importDocuments).
   */
  async import(
    tenant: AuthenticatedTenant,
    collectionId: string,
    body: AsyncIterable<Uint8Array>,
    emit: ImportResultSink,
  ): Promise<BulkSummary> {
    await this.#requireCollection(tenant, collectionId);
    return importDocuments(
      { ...this.#batches, converter: this.#converter, conversionTimeoutMs: this.#limits.conversionTimeoutMs },
      tenant,
      collectionId,
      body,
      emit,
    );
  }

  /** Which of these file hashes the collection holds (see DocumentRepository.findBySourceHashes): how an import resumes. */
  async findByHashes(
    tenant: AuthenticatedTenant,
    collectionId: string,
    hashes: readonly string[],
  ): Promise<{ found: { hash: string; documentId: string }[] }> {
    const found = await this.#database.documents.findBySourceHashes(tenant.id, collectionId, hashes);
    return { found: found.map(({ sourceHash, documentId }) => ({ hash: sourceHash, documentId })) };
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
