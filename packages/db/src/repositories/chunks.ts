import { isForeignKeyViolation } from '../errors.ts';
import { isId } from '../ids.ts';
import { decodeChunkCursor, encodeCursor, toPage } from '../pagination.ts';
import type { Prisma, ReadClient } from '../prisma-client.ts';
import type { SqlDriver } from '../sql.ts';
import type { ExportedChunk, JsonObject, NewChunk, Page, PageRequest, StoredChunk } from '../types.ts';
import { type BatchOutcome, type OperationBatch, writeOperationBatch } from './chunk-batches.ts';
import { type ExportFilter, type ExportOptions, exportChunkBatches } from './chunk-export.ts';
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
   * Replaces all chunks of a document. The new ones are written into a chunk set of their own in
   * multi-row statements, each its own short transaction (`chunks` is read one batch at a time, as
   * it is written, so an async source is read no faster than the database takes its rows); then one short transaction makes that set the document's live one, retires the
   * old and rewrites the document's size summary; the retired rows are deleted in bounded statements
   * after. Readers and crashes see either the old set or the new one, never a mix, and other
   * statements run between the writes. Of concurrent replacements of one document the last to
   * finish wins. Returns the number inserted (0 when the document no longer exists).
   */
  replaceDocumentChunks(
    documentId: string,
    chunks: Iterable<NewChunk> | AsyncIterable<NewChunk>,
    options?: ReplaceChunksOptions,
  ): Promise<number>;
  /**
   * Replaces the chunks of a batch of an operation's documents and counts them into the operation,
   * all in one transaction (see OperationBatch): each document ends with one complete set, and
   * counters move exactly once per document whatever crashes and retries happen around it.
   */
  writeOperationBatch(batch: OperationBatch): Promise<BatchOutcome>;
  /**
   * Deletes chunk sets left `writing` by writers that will never make them live (a crashed or
   * failed attempt's): with `operationId`, that operation's (call it when no attempt of it is
   * running: it failed, was given up, or a new attempt resumes it); without, those whose
   * operation has ended and any older than ABANDONED_AFTER (call it when a worker starts).
   * Answers how many sets it deleted. Never live, they were never seen: only their rows go.
   */
  discardUnfinishedSets(operationId?: string): Promise<number>;
  /** In document then chunk order; NotFoundError when the tenant has no such collection. */
  list(tenantId: string, filter: ChunkFilter, page: PageRequest): Promise<Page<StoredChunk>>;
  get(tenantId: string, id: string): Promise<StoredChunk | null>;
  /**
   * Live chunks in document then chunk order, in batches read one statement at a time as the
   * caller pulls (see `exportChunkBatches`); NotFoundError when the tenant has no such collection.
   */
  exportBatches(
    tenantId: string,
    filter: ExportFilter,
    options?: ExportOptions,
  ): AsyncGenerator<ExportedChunk[]>;
}

/**
 * Rows per INSERT, and a cap on the characters one statement carries: each write is a transaction
 * of its own, and on the embedded database (a single session) every other statement waits for it.
 */
const BATCH_ROWS = 250;
const BATCH_CHARS = 500_000;
/** Rows per DELETE of a retired set: as short as an insert. */
const DELETE_ROWS = 500;
/** A set still being written after this long belongs to a writer that died: the next replacement retires it. */
const ABANDONED_AFTER = '30 minutes';

interface ChunkRow {
  content: string;
  tokenCount: number;
  embedHeader: string;
  embedTokenCount: number | null;
  metadata: unknown;
  set: { operationId: string | null };
}

/** A chunk row's own columns, as `get` reads them. */
interface StoredChunkRow {
  id: string;
  documentId: string;
  collectionId: string;
  setId: string;
  chunkIndex: number;
  startOffset: number;
  endOffset: number;
  charCount: number;
  createdAt: Date;
}

/** What a chunk row is read with: the operation that wrote it is its set's. */
const WITH_OPERATION = { set: { select: { operationId: true } } } as const;

/**
 * A row as callers see it: embedText put together, a missing embed count read as the content's,
 * the operation its set's.
 */
function toChunk<Row extends ChunkRow>({ embedHeader, embedTokenCount, set, ...row }: Row) {
  return {
    ...row,
    operationId: set.operationId,
    embedText: embedHeader + row.content,
    embedTokenCount: embedTokenCount ?? row.tokenCount,
    metadata: row.metadata as JsonObject,
  };
}

/** Splits chunks into batches bounded by row count and total content size. */
export async function* batches(
  chunks: Iterable<NewChunk> | AsyncIterable<NewChunk>,
): AsyncGenerator<NewChunk[]> {
  let batch: NewChunk[] = [];
  let chars = 0;
  for await (const chunk of chunks) {
    if (
      batch.length > 0 &&
      (batch.length === BATCH_ROWS ||
        chars + chunk.content.length + (chunk.embedHeader?.length ?? 0) > BATCH_CHARS)
    ) {
      yield batch;
      batch = [];
      chars = 0;
    }
    batch.push(chunk);
    chars += chunk.content.length + (chunk.embedHeader?.length ?? 0);
  }
  if (batch.length > 0) yield batch;
}

type Transaction = Parameters<Parameters<Prisma['$transaction']>[0]>[0];

/**
 * A chunk set and the collection its rows go to: statements on its rows name the collection, so
 * they touch the one partition of chunks that holds them.
 */
interface SetOfCollection {
  id: string;
  collectionId: string;
}

/**
 * A new set for the document's next chunks, written by `operationId` (if any); null when the
 * document does not exist.
 */
async function openSet(
  prisma: Prisma,
  documentId: string,
  operationId: string | null,
): Promise<SetOfCollection | null> {
  try {
    const [set] = await prisma.$queryRaw<SetOfCollection[]>`
      WITH "document" AS (SELECT "id", "collection_id" FROM "documents" WHERE "id" = ${documentId}::uuid)
      INSERT INTO "chunk_sets" ("document_id", "collection_id", "operation_id")
      SELECT "id", "collection_id", ${operationId}::uuid FROM "document"
      RETURNING "id", "collection_id" AS "collectionId"`;
    return set ?? null;
  } catch (error) {
    // Deleted between the SELECT and the foreign-key check.
    if (isForeignKeyViolation(error)) return null;
    throw error;
  }
}

const INSERT_BATCH = `
  INSERT INTO "chunks" ("document_id", "collection_id", "set_id", "chunk_index", "start_offset",
    "end_offset", "char_count", "token_count", "content", "embed_header", "embed_token_count",
    "metadata")
  SELECT d."id", d."collection_id", $2::uuid, c.chunk_index, c.start_offset, c.end_offset,
    c.char_count, c.token_count, c.content, c.embed_header, c.embed_token_count, c.metadata::jsonb
  FROM "documents" d
  CROSS JOIN unnest($3::int[], $4::int[], $5::int[], $6::int[], $7::int[], $8::text[], $9::text[],
    $10::int[], $11::text[])
    AS c(chunk_index, start_offset, end_offset, char_count, token_count, content, embed_header,
      embed_token_count, metadata)
  WHERE d."id" = $1::uuid`;

/**
 * One multi-row INSERT … SELECT unnest(…) into the set, through the raw driver (see SqlDriver);
 * the collection id comes from the document. Inserts nothing once the document (and so its sets)
 * is deleted.
 */
function insertBatch(
  driver: SqlDriver,
  documentId: string,
  setId: string,
  batch: NewChunk[],
): Promise<number> {
  const column = <T>(pick: (chunk: NewChunk) => T) => batch.map(pick);
  return driver.execute(
    INSERT_BATCH,
    [
      documentId,
      setId,
      column((chunk) => chunk.chunkIndex),
      column((chunk) => chunk.startOffset),
      column((chunk) => chunk.endOffset),
      column((chunk) => chunk.charCount),
      column((chunk) => chunk.tokenCount),
      column((chunk) => chunk.content),
      column((chunk) => chunk.embedHeader ?? ''),
      column((chunk) => chunk.embedTokenCount ?? chunk.tokenCount),
      column((chunk) => JSON.stringify(chunk.metadata ?? {})),
    ],
    `[${batch.length} chunks]`,
  );
}

/**
 * Makes the set the document's live one, retiring the one before (and sets abandoned by writers
 * that died), and rewrites the document's summary. False when the document no longer exists.
 */
async function goLive(tx: Transaction, documentId: string, setId: string): Promise<boolean> {
  // Row lock on the document: concurrent replacements go live one after the other.
  const locked = await tx.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "documents" WHERE "id" = ${documentId}::uuid FOR NO KEY UPDATE`;
  if (locked.length === 0) return false;
  await tx.$executeRaw`
    UPDATE "chunk_sets" SET "state" = 'retired'
    WHERE "document_id" = ${documentId}::uuid AND "id" <> ${setId}::uuid
      AND ("state" = 'live' OR ("state" = 'writing' AND "created_at" < now() - ${ABANDONED_AFTER}::interval))`;
  const live = await tx.$executeRaw`
    UPDATE "chunk_sets" SET "state" = 'live' WHERE "id" = ${setId}::uuid AND "state" = 'writing'`;
  if (live === 0) throw new Error(`chunk set ${setId} was retired before it was complete`);
  await tx.$executeRaw`SELECT "summarise_document_chunks"(ARRAY[${documentId}::uuid])`;
  return true;
}

/** Deletes a set's chunks in bounded statements (its indexes run 0…n-1), then the set. */
async function dropSet(prisma: Prisma, { id, collectionId }: SetOfCollection): Promise<void> {
  while (
    (await prisma.$executeRaw`
      DELETE FROM "chunks"
      WHERE "collection_id" = ${collectionId}::uuid AND "set_id" = ${id}::uuid AND "chunk_index" < ${DELETE_ROWS} + (
        SELECT min("chunk_index") FROM "chunks"
        WHERE "collection_id" = ${collectionId}::uuid AND "set_id" = ${id}::uuid)`) > 0
  );
  await prisma.$executeRaw`DELETE FROM "chunk_sets" WHERE "id" = ${id}::uuid`;
}

async function dropRetiredSets(prisma: Prisma, documentId: string, collectionId: string): Promise<void> {
  const retired = await prisma.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "chunk_sets" WHERE "document_id" = ${documentId}::uuid AND "state" = 'retired'`;
  for (const { id } of retired) await dropSet(prisma, { id, collectionId });
}

/**
 * Sets still `writing` that no writer will finish (see discardUnfinishedSets): by their operation,
 * or, without one, by their age.
 */
async function unfinishedSets(prisma: Prisma, operationId: string | undefined): Promise<SetOfCollection[]> {
  return operationId === undefined
    ? await prisma.$queryRaw<SetOfCollection[]>`
        SELECT s."id", s."collection_id" AS "collectionId" FROM "chunk_sets" s
        LEFT JOIN "operations" o ON o."id" = s."operation_id"
        WHERE s."state" = 'writing'
          AND (s."created_at" < now() - ${ABANDONED_AFTER}::interval
            OR o."status" NOT IN ('pending', 'processing'))`
    : await prisma.$queryRaw<SetOfCollection[]>`
        SELECT "id", "collection_id" AS "collectionId" FROM "chunk_sets"
        WHERE "state" = 'writing' AND "operation_id" = ${operationId}::uuid`;
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
export function chunkRepository(
  prisma: Prisma,
  driver: SqlDriver,
  reads: ReadClient = prisma,
): ChunkRepository {
  return {
    async replaceDocumentChunks(documentId, chunks, options = {}) {
      if (!isId(documentId)) return 0;
      const set = await openSet(prisma, documentId, options.operationId ?? null);
      if (set === null) return 0;
      let inserted = 0;
      try {
        for await (const batch of batches(chunks)) {
          const written = await insertBatch(driver, documentId, set.id, batch);
          // Nothing written: the document was deleted meanwhile, and its sets with it.
          if (written === 0) return 0;
          inserted += written;
        }
        if (!(await prisma.$transaction((tx) => goLive(tx, documentId, set.id)))) return 0;
      } catch (error) {
        // Never live, so never seen; if this fails too, the next replacement retires it.
        await dropSet(prisma, set).catch(() => undefined);
        // The document (and its sets, by cascade) was deleted while a batch was written.
        if (isForeignKeyViolation(error)) return 0;
        throw error;
      }
      // Invisible already; rows left by a failure here go with the next replacement's.
      await dropRetiredSets(prisma, documentId, set.collectionId).catch(() => undefined);
      return inserted;
    },

    writeOperationBatch: (batch) => writeOperationBatch(driver, batch),

    async discardUnfinishedSets(operationId) {
      if (operationId !== undefined && !isId(operationId)) return 0;
      const sets = await unfinishedSets(prisma, operationId);
      for (const set of sets) await dropSet(prisma, set);
      return sets.length;
    },

    async list(tenantId, { collectionId, documentId }, { cursor, limit }) {
      await requireCollection(reads, tenantId, collectionId);
      if (documentId !== undefined && !isId(documentId)) return { items: [], nextCursor: null };
      const rows = await reads.chunk.findMany({
        where: {
          collectionId,
          ...(documentId === undefined ? {} : { documentId }),
          set: { state: 'live' },
          ...chunkOrderAfter(cursor, documentId !== undefined),
        },
        orderBy: [{ documentId: 'asc' }, { chunkIndex: 'asc' }],
        take: limit + 1,
        include: WITH_OPERATION,
      });
      return toPage(rows, limit, (row) => encodeCursor([row.documentId, row.chunkIndex]), toChunk);
    },

    async get(tenantId, id) {
      if (!isId(id)) return null;
      // By its key, joined to its collection for the tenant: the plan enters each partition of
      // chunks by the id, or only the tenant's collections' partitions by (id, collection_id).
      const [row] = await prisma.$queryRaw<(StoredChunkRow & ChunkRow)[]>`
        SELECT c."id", c."document_id" AS "documentId", c."collection_id" AS "collectionId",
          c."set_id" AS "setId", c."chunk_index" AS "chunkIndex", c."start_offset" AS "startOffset",
          c."end_offset" AS "endOffset", c."char_count" AS "charCount", c."token_count" AS "tokenCount",
          c."content", c."embed_header" AS "embedHeader", c."embed_token_count" AS "embedTokenCount",
          c."metadata", c."created_at" AS "createdAt",
          json_build_object('operationId', s."operation_id") AS "set"
        FROM "chunks" c
        JOIN "chunk_sets" s
          ON s."collection_id" = c."collection_id" AND s."document_id" = c."document_id" AND s."id" = c."set_id"
        JOIN "collections" o ON o."id" = c."collection_id"
        WHERE c."id" = ${id}::uuid AND s."state" = 'live' AND o."tenant_id" = ${tenantId}::uuid`;
      return row ? toChunk(row) : null;
    },

    exportBatches(tenantId, filter, options) {
      return exportChunkBatches(driver, tenantId, filter, options);
    },
  };
}
