import { isId } from '../ids.ts';
import { decodeChunkCursor, encodeCursor, toPage } from '../pagination.ts';
import type { Prisma, ReadClient } from '../prisma-client.ts';
import type { Chunk, JsonObject, NewChunk, Page, PageRequest } from '../types.ts';
import { requireCollection } from './scope.ts';

export interface ChunkFilter {
  collectionId: string;
  /** Only this document's chunks. */
  documentId?: string;
}

export interface ReplaceChunksOptions {
  operationId?: string | null;
}

export interface ChunkRepository {
  /**
   * Replaces all chunks of a document in one transaction (old ones deleted, new ones inserted in
   * multi-row batches, the document's size summary rewritten): readers and crashes see either the
   * old set or the new one, never a mix. `chunks` is read one batch at a time, as it is written.
   * Concurrent replacements of one document are serialised. Returns the number inserted
   * (0 when the document no longer exists).
   */
  replaceDocumentChunks(
    documentId: string,
    chunks: Iterable<NewChunk>,
    options?: ReplaceChunksOptions,
  ): Promise<number>;
  /** In document then chunk order; NotFoundError when the tenant has no such collection. */
  list(tenantId: string, filter: ChunkFilter, page: PageRequest): Promise<Page<Chunk>>;
  get(tenantId: string, id: string): Promise<Chunk | null>;
}

/**
 * Rows per INSERT (and per DELETE of old rows), and a cap on the characters one statement carries.
 * Embedded PGlite executes a statement on the event loop, so these bound how long one holds it.
 */
const BATCH_ROWS = 250;
const BATCH_CHARS = 500_000;
/** A 100 MB document makes tens of thousands of chunks: allow the transaction the time. */
const REPLACE_TIMEOUT_MS = 300_000;

function toChunk<Row extends { metadata: unknown }>(row: Row): Row & { metadata: JsonObject } {
  return { ...row, metadata: row.metadata as JsonObject };
}

/** Splits chunks into batches bounded by row count and total content size. */
export function* batches(chunks: Iterable<NewChunk>): Generator<NewChunk[]> {
  let batch: NewChunk[] = [];
  let chars = 0;
  for (const chunk of chunks) {
    if (batch.length > 0 && (batch.length === BATCH_ROWS || chars + chunk.content.length > BATCH_CHARS)) {
      yield batch;
      batch = [];
      chars = 0;
    }
    batch.push(chunk);
    chars += chunk.content.length;
  }
  if (batch.length > 0) yield batch;
}

type Transaction = Parameters<Parameters<Prisma['$transaction']>[0]>[0];

/** One multi-row INSERT … SELECT unnest(…) per batch; the collection id comes from the document. */
function insertBatch(tx: Transaction, documentId: string, operationId: string | null, batch: NewChunk[]) {
  const column = <T>(pick: (chunk: NewChunk) => T) => batch.map(pick);
  return tx.$executeRaw`
    INSERT INTO "chunks" ("document_id", "collection_id", "operation_id", "chunk_index", "start_offset",
      "end_offset", "char_count", "token_count", "content", "metadata")
    SELECT d."id", d."collection_id", ${operationId}::uuid, c.chunk_index, c.start_offset, c.end_offset,
      c.char_count, c.token_count, c.content, c.metadata::jsonb
    FROM "documents" d
    CROSS JOIN unnest(
      ${column((chunk) => chunk.chunkIndex)}::int[], ${column((chunk) => chunk.startOffset)}::int[],
      ${column((chunk) => chunk.endOffset)}::int[], ${column((chunk) => chunk.charCount)}::int[],
      ${column((chunk) => chunk.tokenCount)}::int[], ${column((chunk) => chunk.content)}::text[],
      ${column((chunk) => JSON.stringify(chunk.metadata ?? {}))}::text[]
    ) AS c(chunk_index, start_offset, end_offset, char_count, token_count, content, metadata)
    WHERE d."id" = ${documentId}::uuid`;
}

/** Deletes up to a batch of the document's stored chunks; returns how many. */
function deleteBatch(tx: Transaction, documentId: string): Promise<number> {
  return tx.$executeRaw`
    DELETE FROM "chunks" WHERE "id" IN (
      SELECT "id" FROM "chunks" WHERE "document_id" = ${documentId}::uuid LIMIT ${BATCH_ROWS})`;
}

function chunkOrderAfter(cursor: string | undefined, filteredByDocument: boolean) {
  if (cursor === undefined) return {};
  const { documentId, chunkIndex } = decodeChunkCursor(cursor);
  if (filteredByDocument) return { chunkIndex: { gt: chunkIndex } };
  return {
    OR: [{ documentId: { gt: documentId } }, { documentId, chunkIndex: { gt: chunkIndex } }],
  };
}

/** `reads` serves `list` (a read replica when configured); everything else uses `prisma`. */
export function chunkRepository(prisma: Prisma, reads: ReadClient = prisma): ChunkRepository {
  return {
    async replaceDocumentChunks(documentId, chunks, options = {}) {
      if (!isId(documentId)) return 0;
      return prisma.$transaction(
        async (tx) => {
          // Row lock on the document: a second replacement waits and then replaces our set.
          const locked = await tx.$queryRaw<{ id: string }[]>`
            SELECT "id" FROM "documents" WHERE "id" = ${documentId}::uuid FOR NO KEY UPDATE`;
          if (locked.length === 0) return 0;
          // Bounded statements: embedded PGlite yields to the event loop before each one.
          while ((await deleteBatch(tx, documentId)) > 0);
          let inserted = 0;
          for (const batch of batches(chunks)) {
            inserted += await insertBatch(tx, documentId, options.operationId ?? null, batch);
          }
          await tx.$executeRaw`SELECT "summarise_document_chunks"(ARRAY[${documentId}::uuid])`;
          return inserted;
        },
        { timeout: REPLACE_TIMEOUT_MS, maxWait: REPLACE_TIMEOUT_MS },
      );
    },

    async list(tenantId, { collectionId, documentId }, { cursor, limit }) {
      await requireCollection(reads, tenantId, collectionId);
      if (documentId !== undefined && !isId(documentId)) return { items: [], nextCursor: null };
      const rows = await reads.chunk.findMany({
        where: {
          collectionId,
          ...(documentId === undefined ? {} : { documentId }),
          ...chunkOrderAfter(cursor, documentId !== undefined),
        },
        orderBy: [{ documentId: 'asc' }, { chunkIndex: 'asc' }],
        take: limit + 1,
      });
      return toPage(rows, limit, (row) => encodeCursor([row.documentId, row.chunkIndex]), toChunk);
    },

    async get(tenantId, id) {
      if (!isId(id)) return null;
      const row = await prisma.chunk.findFirst({ where: { id, collection: { tenantId } } });
      return row ? toChunk(row) : null;
    },
  };
}
