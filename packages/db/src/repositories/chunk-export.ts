import { ValidationError } from '@chunkflow/errors';
import { isId } from '../ids.ts';
import type { ReadClient } from '../prisma-client.ts';
import type { ExportedChunk, JsonObject } from '../types.ts';
import { requireCollection } from './scope.ts';

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

/** The collection's documents that have live chunks, after `after` in id order, with their live set. */
function documentsAfter(reads: ReadClient, filter: ExportFilter, after: string) {
  const only = filter.documentId ?? null;
  return reads.$queryRaw<DocumentRow[]>`
    SELECT d."id", s."id" AS "setId", d."name", d."metadata"
    FROM "documents" d JOIN "chunk_sets" s ON s."document_id" = d."id" AND s."state" = 'live'
    WHERE d."collection_id" = ${filter.collectionId}::uuid AND d."id" > ${after}::uuid
      AND (${only}::uuid IS NULL OR d."id" = ${only}::uuid)
    ORDER BY d."id"
    LIMIT ${DOCUMENT_ROWS}`;
}

/** One batch of a chunk set, after `afterIndex`: a range scan of its (set_id, chunk_index) key. */
function chunksAfter(reads: ReadClient, setId: string, afterIndex: number, limit: number) {
  return reads.$queryRaw<ChunkRow[]>`
    SELECT "chunk_index" AS "chunkIndex", "content", "embed_header" AS "embedHeader",
      "start_offset" AS "startOffset", "end_offset" AS "endOffset", "char_count" AS "charCount",
      "token_count" AS "tokenCount", coalesce("embed_token_count", "token_count") AS "embedTokenCount",
      "metadata"
    FROM "chunks" WHERE "set_id" = ${setId}::uuid AND "chunk_index" > ${afterIndex}::int
    ORDER BY "chunk_index"
    LIMIT ${limit}`;
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
 * one batch in memory and no transaction or connection between batches; stopping the iteration
 * (a client gone) issues no further statement. A document whose chunks are replaced while it is
 * being read ends early rather than mixing two sets.
 */
export async function* exportChunkBatches(
  reads: ReadClient,
  tenantId: string,
  filter: ExportFilter,
  options: ExportOptions = {},
): AsyncGenerator<ExportedChunk[], void, undefined> {
  checkId(filter.documentId, 'documentId');
  checkId(filter.afterDocumentId, 'afterDocumentId');
  await requireCollection(reads, tenantId, filter.collectionId);
  const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
  let afterDocument = filter.afterDocumentId ?? FIRST_ID;
  for (;;) {
    const documents = await documentsAfter(reads, filter, afterDocument);
    for (const document of documents) {
      for (let afterIndex = -1; ; ) {
        const rows = await chunksAfter(reads, document.setId, afterIndex, batchRows);
        if (rows.length > 0) yield rows.map((row) => exported(document, row));
        if (rows.length < batchRows) break;
        afterIndex = (rows[rows.length - 1] as ChunkRow).chunkIndex;
      }
    }
    if (documents.length < DOCUMENT_ROWS) return;
    afterDocument = (documents[documents.length - 1] as DocumentRow).id;
  }
}
