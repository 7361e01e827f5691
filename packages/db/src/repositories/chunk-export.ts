import { NotFoundError, ValidationError } from '@chunkflow/errors';
import { isId } from '../ids.ts';
import type { SqlDriver } from '../sql.ts';
import type { ExportedChunk, JsonObject } from '../types.ts';

export interface ExportFilter {
  collectionId: string;
  /** Only this document's chunks. */
  documentId?: string | undefined;
  /** Resume: only documents after this one, in export order. */
  afterDocumentId?: string | undefined;
}

export interface ExportOptions {
  /** Rows read per statement. */
  batchRows?: number;
}

const DEFAULT_BATCH_ROWS = 1_000;
/** Documents read per statement: each then reads its chunks in batches. */
const DOCUMENT_ROWS = 100;
/** Sorts before every other UUID: the keyset's start. */
const FIRST_ID = '00000000-0000-0000-0000-000000000000';

interface DocumentRow {
  id: string;
  setId: string;
  name: string;
  metadata: JsonObject;
}

interface ChunkRow {
  chunkIndex: number;
  content: string;
  embedHeader: string;
  startOffset: number;
  endOffset: number;
  charCount: number;
  tokenCount: number;
  embedTokenCount: number;
  metadata: JsonObject;
}

function checkId(value: string | undefined, field: string): void {
  if (value !== undefined && !isId(value)) {
    throw new ValidationError(`${field} must be a UUID`, { details: { field } });
  }
}

/** NotFoundError unless the tenant owns the collection (another tenant's id included). */
async function requireOwnCollection(
  driver: SqlDriver,
  tenantId: string,
  collectionId: string,
): Promise<void> {
  const found =
    isId(collectionId) &&
    (
      await driver.rows(
        `SELECT 1 FROM "collections" WHERE "id" = $1::uuid AND "tenant_id" = $2::uuid`,
        [collectionId, tenantId],
        'export: collection owned',
      )
    ).length > 0;
  if (!found) throw new NotFoundError('Collection', collectionId);
}

/**
 * The collection's documents that have live chunks, after `after` in id order, with their live
 * set: a range scan of the `(collection_id, id)` index, however many documents the collection has.
 */
function documentsAfter(driver: SqlDriver, filter: ExportFilter, after: string) {
  return driver.rows<DocumentRow>(
    `SELECT d."id", s."id" AS "setId", d."name", d."metadata"
    FROM "documents" d JOIN "chunk_sets" s ON s."document_id" = d."id" AND s."state" = 'live'
    WHERE d."collection_id" = $1::uuid AND d."id" > $2::uuid AND ($3::uuid IS NULL OR d."id" = $3::uuid)
    ORDER BY d."id"
    LIMIT ${DOCUMENT_ROWS}`,
    [filter.collectionId, after, filter.documentId ?? null],
    'export: documents after',
  );
}

/**
 * One batch of a chunk set, after `afterIndex`: a range scan of its (set_id, chunk_index) key in
 * the collection's partition of chunks.
 */
function chunksAfter(
  driver: SqlDriver,
  collectionId: string,
  setId: string,
  afterIndex: number,
  limit: number,
) {
  return driver.rows<ChunkRow>(
    `SELECT "chunk_index" AS "chunkIndex", "content", "embed_header" AS "embedHeader",
      "start_offset" AS "startOffset", "end_offset" AS "endOffset", "char_count" AS "charCount",
      "token_count" AS "tokenCount", coalesce("embed_token_count", "token_count") AS "embedTokenCount",
      "metadata"
    FROM "chunks" WHERE "set_id" = $2::uuid AND "chunk_index" > $3::int AND "collection_id" = $1::uuid
    ORDER BY "chunk_index"
    LIMIT $4::int`,
    [collectionId, setId, afterIndex, limit],
    'export: chunks after',
  );
}

function exported(document: DocumentRow, row: ChunkRow): ExportedChunk {
  return {
    documentId: document.id,
    documentName: document.name,
    index: row.chunkIndex,
    content: row.content,
    embedText: row.embedHeader + row.content,
    startOffset: row.startOffset,
    endOffset: row.endOffset,
    charCount: row.charCount,
    tokenCount: row.tokenCount,
    embedTokenCount: row.embedTokenCount,
    metadata: row.metadata,
    documentMetadata: document.metadata,
  };
}

/**
 * A collection's live chunks in document (id) then chunk order, one batch per statement. Documents
 * are read a page at a time; each document's live chunk set, pinned when the document is reached,
 * is read in batches, each a range scan of the set's `(set_id, chunk_index)` key after the last row
 * taken (keyset cursors: every statement is short and follows an index whatever the table's
 * statistics say). The next batch is read only when the caller asks for it, so a slow reader holds
 * one batch in memory and no transaction or connection between batches (a server-side cursor
 * would hold a connection for as long as the slowest client reads: the embedded database has
 * one); stopping the iteration (a client gone) issues no further statement. A document whose
 * chunks are replaced while it is being read ends early rather than mixing two sets. Rows come
 * through the raw driver (SqlDriver): Prisma's copies of every row were most of an export's cost.
 */
export async function* exportChunkBatches(
  driver: SqlDriver,
  tenantId: string,
  filter: ExportFilter,
  options: ExportOptions = {},
): AsyncGenerator<ExportedChunk[], void, undefined> {
  checkId(filter.documentId, 'documentId');
  checkId(filter.afterDocumentId, 'afterDocumentId');
  await requireOwnCollection(driver, tenantId, filter.collectionId);
  const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
  let afterDocument = filter.afterDocumentId ?? FIRST_ID;
  for (;;) {
    const documents = await documentsAfter(driver, filter, afterDocument);
    for (const document of documents) {
      for (let afterIndex = -1; ; ) {
        const rows = await chunksAfter(driver, filter.collectionId, document.setId, afterIndex, batchRows);
        if (rows.length > 0) yield rows.map((row) => exported(document, row));
        if (rows.length < batchRows) break;
        afterIndex = (rows[rows.length - 1] as ChunkRow).chunkIndex;
      }
    }
    if (documents.length < DOCUMENT_ROWS) return;
    afterDocument = (documents[documents.length - 1] as DocumentRow).id;
  }
}
