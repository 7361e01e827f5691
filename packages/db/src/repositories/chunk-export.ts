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

const DEFAULT_BATCH_ROWS = 500;
/** Sorts before every other UUID: the keyset's start. */
const FIRST_ID = '00000000-0000-0000-0000-000000000000';
/** Past every chunk index (PostgreSQL `int`): "after this document" as a key. */
const PAST_LAST_INDEX = 2 ** 31 - 1;

interface ChunkRow {
  documentId: string;
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

interface DocumentRow {
  id: string;
  name: string;
  metadata: JsonObject;
}

function checkId(value: string | undefined, field: string): void {
  if (value !== undefined && !isId(value)) {
    throw new ValidationError(`${field} must be a UUID`, { details: { field } });
  }
}

/**
 * A collection's live chunks in document then chunk order, one batch per statement: each is a
 * short range scan of the `(collection_id, document_id, chunk_index)` index starting after the last
 * row the caller took (a keyset cursor). The next batch is read only when the caller asks for it, so
 * a slow reader holds one batch in memory, no transaction and no connection between batches;
 * stopping the iteration (a client gone) issues no further statement. Each batch's documents
 * (name, metadata) are read once per batch, not once per chunk.
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
  const only = filter.documentId ?? null;
  let afterDocument = filter.afterDocumentId ?? FIRST_ID;
  let afterIndex = filter.afterDocumentId === undefined ? -1 : PAST_LAST_INDEX;
  for (;;) {
    const rows = await reads.$queryRaw<ChunkRow[]>`
      SELECT c."document_id" AS "documentId", c."chunk_index" AS "chunkIndex", c."content",
        c."embed_header" AS "embedHeader", c."start_offset" AS "startOffset", c."end_offset" AS "endOffset",
        c."char_count" AS "charCount", c."token_count" AS "tokenCount",
        coalesce(c."embed_token_count", c."token_count") AS "embedTokenCount", c."metadata"
      FROM "chunks" c JOIN "chunk_sets" s ON s."id" = c."set_id" AND s."state" = 'live'
      WHERE c."collection_id" = ${filter.collectionId}::uuid
        AND (c."document_id", c."chunk_index") > (${afterDocument}::uuid, ${afterIndex}::int)
        AND (${only}::uuid IS NULL OR c."document_id" = ${only}::uuid)
      ORDER BY c."document_id", c."chunk_index"
      LIMIT ${batchRows}`;
    if (rows.length === 0) return;
    const documentIds = [...new Set(rows.map((row) => row.documentId))];
    const documents = await reads.$queryRaw<DocumentRow[]>`
      SELECT "id", "name", "metadata" FROM "documents" WHERE "id" = ANY(${documentIds}::uuid[])`;
    const byId = new Map(documents.map((document) => [document.id, document]));
    yield rows.map((row) => {
      const document = byId.get(row.documentId);
      return {
        documentId: row.documentId,
        documentName: document?.name ?? '',
        index: row.chunkIndex,
        content: row.content,
        embedText: row.embedHeader + row.content,
        startOffset: row.startOffset,
        endOffset: row.endOffset,
        charCount: row.charCount,
        tokenCount: row.tokenCount,
        embedTokenCount: row.embedTokenCount,
        metadata: row.metadata,
        documentMetadata: document?.metadata ?? {},
      };
    });
    const last = rows[rows.length - 1] as ChunkRow;
    afterDocument = last.documentId;
    afterIndex = last.chunkIndex;
    if (rows.length < batchRows) return;
  }
}
