import { createHash } from 'node:crypto';
import { ConflictError } from '@chunkflow/errors';
import { isUniqueViolation } from '../errors.ts';
import { isId } from '../ids.ts';
import { afterTimeCursor, newestFirst, timeCursorOf, toPage } from '../pagination.ts';
import type { Prisma, ReadClient } from '../prisma-client.ts';
import type { Document, DocumentSummary, JsonObject, NewDocument, Page, PageRequest } from '../types.ts';
import { requireCollection } from './scope.ts';

export interface DocumentRepository {
  /**
   * Stores the document once. NotFoundError when the tenant has no such collection; ConflictError
   * (details.existingDocumentId) when the collection already holds the same content.
   */
  create(tenantId: string, collectionId: string, input: NewDocument): Promise<DocumentSummary>;
  /** With its content. */
  get(tenantId: string, id: string): Promise<Document | null>;
  /** Without content, newest first; NotFoundError when the tenant has no such collection. */
  list(tenantId: string, collectionId: string, page: PageRequest): Promise<Page<DocumentSummary>>;
  /** Deletes the document and its chunks; returns the collection it was in, null when absent. */
  delete(tenantId: string, id: string): Promise<string | null>;
  /** For workers, which act on an operation already scoped: the ids to process, oldest first. */
  idsForProcessing(collectionId: string, onlyIds?: readonly string[]): Promise<string[]>;
  /** For workers: the document with content, whatever its tenant. */
  getForProcessing(id: string): Promise<Document | null>;
  /** For workers: those of the documents that still exist, with content, in one query (any order). */
  getManyForProcessing(ids: readonly string[]): Promise<Document[]>;
}

const summaryFields = {
  id: true,
  tenantId: true,
  collectionId: true,
  name: true,
  contentType: true,
  contentHash: true,
  sizeBytes: true,
  charCount: true,
  metadata: true,
  pageCount: true,
  sourceHash: true,
  sourceBytes: true,
  createdAt: true,
  updatedAt: true,
} as const;

function withJson<Row extends { metadata: unknown }>(row: Row): Row & { metadata: JsonObject } {
  return { ...row, metadata: row.metadata as JsonObject };
}

function withProvenance<Row extends { metadata: unknown; provenance: unknown }>(
  row: Row,
): Row & { metadata: JsonObject; provenance: JsonObject } {
  return { ...withJson(row), provenance: row.provenance as JsonObject };
}

export function contentHashOf(content: string): string {
  return createHash('sha256').update(content).digest('hex');
}

/** `reads` serves `list` (a read replica when configured); everything else uses `prisma`. */
export function documentRepository(prisma: Prisma, reads: ReadClient = prisma): DocumentRepository {
  async function rejectDuplicate(collectionId: string, contentHash: string, cause: unknown): Promise<never> {
    const existing = await prisma.document.findUnique({
      where: { collectionId_contentHash: { collectionId, contentHash } },
      select: { id: true },
    });
    throw new ConflictError('The collection already holds a document with the same content', {
      cause,
      details: { existingDocumentId: existing?.id ?? null },
    });
  }

  return {
    async create(tenantId, collectionId, input) {
      await requireCollection(prisma, tenantId, collectionId);
      const contentHash = contentHashOf(input.content);
      const sizeBytes = Buffer.byteLength(input.content, 'utf8');
      const source = input.source ?? {
        sha256: contentHash,
        bytes: sizeBytes,
        pageCount: null,
        provenance: {},
      };
      try {
        const row = await prisma.document.create({
          data: {
            tenantId,
            collectionId,
            name: input.name,
            contentType: input.contentType,
            content: input.content,
            contentHash,
            sizeBytes,
            charCount: input.content.length,
            metadata: input.metadata ?? {},
            pageCount: source.pageCount,
            sourceHash: source.sha256,
            sourceBytes: source.bytes,
            provenance: source.provenance,
          },
          select: summaryFields,
        });
        return withJson(row);
      } catch (error) {
        if (isUniqueViolation(error)) return rejectDuplicate(collectionId, contentHash, error);
        throw error;
      }
    },

    async get(tenantId, id) {
      if (!isId(id)) return null;
      const row = await prisma.document.findFirst({ where: { id, tenantId } });
      return row ? withProvenance(row) : null;
    },

    async list(tenantId, collectionId, { cursor, limit }) {
      await requireCollection(reads, tenantId, collectionId);
      const rows = await reads.document.findMany({
        where: { collectionId, tenantId, ...afterTimeCursor(cursor) },
        orderBy: newestFirst,
        take: limit + 1,
        select: summaryFields,
      });
      return toPage(rows, limit, timeCursorOf, withJson);
    },

    async delete(tenantId, id) {
      if (!isId(id)) return null;
      const [deleted] = await prisma.$queryRaw<{ collection_id: string }[]>`
        DELETE FROM "documents" WHERE "id" = ${id}::uuid AND "tenant_id" = ${tenantId}::uuid
        RETURNING "collection_id"`;
      return deleted?.collection_id ?? null;
    },

    async idsForProcessing(collectionId, onlyIds) {
      const rows = await prisma.document.findMany({
        where: { collectionId, ...(onlyIds?.length ? { id: { in: onlyIds.filter(isId) } } : {}) },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        select: { id: true },
      });
      return rows.map((row) => row.id);
    },

    async getForProcessing(id) {
      if (!isId(id)) return null;
      const row = await prisma.document.findUnique({ where: { id } });
      return row ? withProvenance(row) : null;
    },

    async getManyForProcessing(ids) {
      const rows = await prisma.document.findMany({ where: { id: { in: ids.filter(isId) } } });
      return rows.map(withProvenance);
    },
  };
}
