import { createHash } from 'node:crypto';
import { ConflictError, NotFoundError } from '@chunkflow/errors';
import { isForeignKeyViolation, isUniqueViolation } from '../errors.ts';
import { isId } from '../ids.ts';
import { afterTimeCursor, newestFirst, timeCursorOf, toPage } from '../pagination.ts';
import type { Prisma, ReadClient } from '../prisma-client.ts';
import type { SqlDriver } from '../sql.ts';
import type {
  Document,
  DocumentSummary,
  JsonObject,
  NewDocument,
  Page,
  PageRequest,
  StoredDocument,
} from '../types.ts';
import { requireCollection } from './scope.ts';

export interface DocumentRepository {
  /**
   * Stores the document once. NotFoundError when the tenant has no such collection; ConflictError
   * (details.existingDocumentId) when the collection already holds the same content.
   */
  create(tenantId: string, collectionId: string, input: NewDocument): Promise<DocumentSummary>;
  /**
   * Stores many documents in one statement, each content once: the answer for each input, in
   * order, is the document created or the id of the one that already held its content (stored
   * before, or earlier in the same batch). NotFoundError when the tenant has no such collection.
   */
  createMany(
    tenantId: string,
    collectionId: string,
    inputs: readonly NewDocument[],
  ): Promise<StoredDocument[]>;
  /**
   * Which of these file hashes (`sourceHash`: SHA-256 of the file as uploaded, or of the text for a
   * document given as text) the collection holds, with the document holding each.
   */
  findBySourceHashes(
    tenantId: string,
    collectionId: string,
    hashes: readonly string[],
  ): Promise<{ sourceHash: string; documentId: string }[]>;
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

/** The columns a new document is stored with: hashes and sizes computed, the source defaulted. */
function rowOf(input: NewDocument) {
  const contentHash = contentHashOf(input.content);
  const sizeBytes = Buffer.byteLength(input.content, 'utf8');
  const source = input.source ?? { sha256: contentHash, bytes: sizeBytes, pageCount: null, provenance: {} };
  return {
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
  };
}

type NewRow = ReturnType<typeof rowOf>;

/**
 * One multi-row INSERT … SELECT unnest(…): rows whose content the collection holds already (or
 * that an earlier row of the batch holds) are skipped by the unique index, and only the rows
 * stored come back. `updated_at` is Prisma's to set (no database default), so it is set here.
 */
const INSERT_MANY = `
  INSERT INTO "documents" ("tenant_id", "collection_id", "name", "content_type", "content",
    "content_hash", "size_bytes", "char_count", "metadata", "page_count", "source_hash",
    "source_bytes", "provenance", "updated_at")
  SELECT $1::uuid, $2::uuid, d.name, d.content_type, d.content, d.content_hash, d.size_bytes,
    d.char_count, d.metadata::jsonb, d.page_count, d.source_hash, d.source_bytes,
    d.provenance::jsonb, now()
  FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::int[], $9::text[],
    $10::int[], $11::text[], $12::int[], $13::text[])
    WITH ORDINALITY AS d(name, content_type, content, content_hash, size_bytes, char_count,
      metadata, page_count, source_hash, source_bytes, provenance, ordinal)
  ORDER BY d.ordinal
  ON CONFLICT ("collection_id", "content_hash") DO NOTHING
  RETURNING "id", "tenant_id", "collection_id", "name", "content_type", "content_hash",
    "size_bytes", "char_count", "metadata", "page_count", "source_hash", "source_bytes",
    "created_at", "updated_at"`;

interface SummaryRow {
  id: string;
  tenant_id: string;
  collection_id: string;
  name: string;
  content_type: string;
  content_hash: string;
  size_bytes: number;
  char_count: number;
  metadata: JsonObject;
  page_count: number | null;
  source_hash: string | null;
  source_bytes: number | null;
  created_at: Date;
  updated_at: Date;
}

function summaryOf(row: SummaryRow): DocumentSummary {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    collectionId: row.collection_id,
    name: row.name,
    contentType: row.content_type,
    contentHash: row.content_hash,
    sizeBytes: row.size_bytes,
    charCount: row.char_count,
    metadata: row.metadata,
    pageCount: row.page_count,
    sourceHash: row.source_hash,
    sourceBytes: row.source_bytes,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function insertMany(driver: SqlDriver, tenantId: string, collectionId: string, rows: NewRow[]) {
  const column = <T>(pick: (row: NewRow) => T) => rows.map(pick);
  return driver.rows<SummaryRow>(
    INSERT_MANY,
    [
      tenantId,
      collectionId,
      column((row) => row.name),
      column((row) => row.contentType),
      column((row) => row.content),
      column((row) => row.contentHash),
      column((row) => row.sizeBytes),
      column((row) => row.charCount),
      column((row) => JSON.stringify(row.metadata)),
      column((row) => row.pageCount),
      column((row) => row.sourceHash),
      column((row) => row.sourceBytes),
      column((row) => JSON.stringify(row.provenance)),
    ],
    `[${rows.length} documents]`,
  );
}

/**
 * The documents of the collection holding any of these hashes, by one indexed `= ANY($2)` through
 * the raw driver: Prisma's `in` compiles a statement of one parameter per hash on the event loop,
 * which for a batch's hundreds of hashes cost tens of milliseconds each time.
 */
async function holdersOf(
  driver: SqlDriver,
  collectionId: string,
  column: 'content_hash' | 'source_hash',
  hashes: readonly string[],
): Promise<{ id: string; hash: string }[]> {
  if (hashes.length === 0) return [];
  return driver.rows<{ id: string; hash: string }>(
    `SELECT "id", "${column}" AS "hash" FROM "documents" WHERE "collection_id" = $1::uuid AND "${column}" = ANY($2::text[])`,
    [collectionId, hashes],
    `[${hashes.length} hashes]`,
  );
}

/** `reads` serves `list` (a read replica when configured); everything else uses `prisma`. */
export function documentRepository(
  prisma: Prisma,
  driver: SqlDriver,
  reads: ReadClient = prisma,
): DocumentRepository {
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
      const row = rowOf(input);
      try {
        const stored = await prisma.document.create({
          data: { tenantId, collectionId, ...row },
          select: summaryFields,
        });
        return withJson(stored);
      } catch (error) {
        if (isUniqueViolation(error)) return rejectDuplicate(collectionId, row.contentHash, error);
        throw error;
      }
    },

    async createMany(tenantId, collectionId, inputs) {
      await requireCollection(prisma, tenantId, collectionId);
      if (inputs.length === 0) return [];
      const rows = inputs.map(rowOf);
      let inserted: SummaryRow[];
      try {
        inserted = await insertMany(driver, tenantId, collectionId, rows);
      } catch (error) {
        // The collection was deleted after the check.
        if (isForeignKeyViolation(error)) throw new NotFoundError('Collection', collectionId);
        throw error;
      }
      const created = new Map(inserted.map((row) => [row.content_hash, summaryOf(row)]));
      const skipped = [...new Set(rows.map((row) => row.contentHash).filter((hash) => !created.has(hash)))];
      const held = new Map(
        (await holdersOf(driver, collectionId, 'content_hash', skipped)).map((row) => [row.hash, row.id]),
      );
      return rows.map((row): StoredDocument => {
        const document = created.get(row.contentHash);
        if (document) {
          // Later rows of the batch with the same content are duplicates of this one.
          created.delete(row.contentHash);
          held.set(row.contentHash, document.id);
          return { status: 'created', document };
        }
        return { status: 'duplicate', existingDocumentId: held.get(row.contentHash) ?? '' };
      });
    },

    async findBySourceHashes(tenantId, collectionId, hashes) {
      await requireCollection(reads, tenantId, collectionId);
      const found = await holdersOf(driver, collectionId, 'source_hash', [...new Set(hashes)]);
      return found.map((row) => ({ sourceHash: row.hash, documentId: row.id }));
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
