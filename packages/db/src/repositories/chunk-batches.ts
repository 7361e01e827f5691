import { isId } from '../ids.ts';
import type { SqlDriver, SqlExecutor } from '../sql.ts';
import type { NewChunk, OperationStatus } from '../types.ts';
import { BatchSummaries } from './batch-summaries.ts';

/** A document of a batch and its complete chunks, in index order. */
export interface BatchDocument {
  documentId: string;
  chunks: Iterable<NewChunk>;
}

/**
 * Documents of one slice of an operation's plan, written together. `sliceDoneBefore` is the
 * slice's count of finished documents the writer started from: the batch commits only while it
 * still is, so of two writers of one slice (a job taken over while its first worker still ran)
 * only one counts each document.
 */
export interface OperationBatch {
  operationId: string;
  /** 0-based slice of the operation's plan. */
  slice: number;
  sliceDoneBefore: number;
  /** The documents the batch finishes: those given here plus any deleted since the plan was made. */
  documentsDone: number;
  documents: readonly BatchDocument[];
  /** Chunks of the batch already made live by other means (a document streamed on its own). */
  chunksAlreadyLive?: number;
}

export type BatchOutcome =
  | { written: true; chunks: number; documentsDone: number; documentsTotal: number; chunksCreated: number }
  /** Nothing was written: the operation is no longer processing, or another writer advanced the slice. */
  | { written: false; status: OperationStatus | null };

/** A set still being written after this long belongs to a writer that died: it is retired too. */
const ABANDONED_AFTER = '30 minutes';

const COPY_CHUNKS = `COPY "chunks" ("document_id", "collection_id", "set_id", "chunk_index", "start_offset",
  "end_offset", "char_count", "token_count", "content", "embed_header", "embed_token_count",
  "metadata") FROM STDIN`;

/** Characters that COPY's text format escapes (everything else passes as it is). */
const COPY_SPECIAL = /[\\\n\r\t]/g;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const escapeCopy = (text: string) => text.replace(COPY_SPECIAL, (special) => COPY_ESCAPES[special] ?? '');

/** Lines are sent to the server in pieces of about this many characters. */
const COPY_PIECE_CHARS = 256 * 1024;

/** Where COPY is not carried: rows in multi-row INSERTs of this many. */
const INSERT_ROWS = 1_000;
const INSERT_ROWS_SQL = `INSERT INTO "chunks" ("document_id", "collection_id", "set_id", "chunk_index",
    "start_offset", "end_offset", "char_count", "token_count", "content", "embed_header",
    "embed_token_count", "metadata")
  SELECT c.document_id, c.collection_id, c.set_id, c.chunk_index, c.start_offset, c.end_offset,
    c.char_count, c.token_count, c.content, c.embed_header, c.embed_token_count, c.metadata::jsonb
  FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::int[], $5::int[], $6::int[], $7::int[], $8::int[],
    $9::text[], $10::text[], $11::int[], $12::text[])
    AS c(document_id, collection_id, set_id, chunk_index, start_offset, end_offset, char_count,
      token_count, content, embed_header, embed_token_count, metadata)`;

class Stopped extends Error {}

interface LiveDocument {
  documentId: string;
  collectionId: string;
  setId: string;
}

/** The rows of the documents still there, each with where it goes. */
function* targetedRows(
  live: ReadonlyMap<string, LiveDocument>,
  documents: readonly BatchDocument[],
): Generator<[LiveDocument, NewChunk]> {
  for (const { documentId, chunks } of documents) {
    const target = live.get(documentId);
    if (target) for (const chunk of chunks) yield [target, chunk];
  }
}

/** The COPY text of the rows, in pieces, counting them into `counter` as they go. */
async function* copyText(
  rows: Iterable<[LiveDocument, NewChunk]>,
  counter: { rows: number },
): AsyncGenerator<string> {
  let piece = '';
  for (const [target, chunk] of rows) {
    piece += `${target.documentId}\t${target.collectionId}\t${target.setId}\t${chunk.chunkIndex}\t${chunk.startOffset}\t${chunk.endOffset}\t${chunk.charCount}\t${chunk.tokenCount}\t${escapeCopy(
      chunk.content,
    )}\t${escapeCopy(chunk.embedHeader ?? '')}\t${chunk.embedTokenCount ?? chunk.tokenCount}\t${escapeCopy(
      JSON.stringify(chunk.metadata ?? {}),
    )}\n`;
    counter.rows += 1;
    if (piece.length >= COPY_PIECE_CHARS) {
      yield piece;
      piece = '';
    }
  }
  if (piece.length > 0) yield piece;
}

/** The rows in multi-row INSERTs (see INSERT_ROWS); answers how many it wrote. */
async function insertRows(tx: SqlExecutor, rows: Iterable<[LiveDocument, NewChunk]>): Promise<number> {
  let written = 0;
  let batch: [LiveDocument, NewChunk][] = [];
  const flush = async () => {
    const column = <T>(pick: (row: [LiveDocument, NewChunk]) => T) => batch.map(pick);
    await tx.query(INSERT_ROWS_SQL, [
      column(([target]) => target.documentId),
      column(([target]) => target.collectionId),
      column(([target]) => target.setId),
      column(([, chunk]) => chunk.chunkIndex),
      column(([, chunk]) => chunk.startOffset),
      column(([, chunk]) => chunk.endOffset),
      column(([, chunk]) => chunk.charCount),
      column(([, chunk]) => chunk.tokenCount),
      column(([, chunk]) => chunk.content),
      column(([, chunk]) => chunk.embedHeader ?? ''),
      column(([, chunk]) => chunk.embedTokenCount ?? chunk.tokenCount),
      column(([, chunk]) => JSON.stringify(chunk.metadata ?? {})),
    ]);
    written += batch.length;
    batch = [];
  };
  for (const row of rows) {
    batch.push(row);
    if (batch.length === INSERT_ROWS) await flush();
  }
  if (batch.length > 0) await flush();
  return written;
}

/**
 * The batch in one transaction: the documents still there are locked, each gets a new chunk set
 * filled by one COPY, the sets go live in place of the old ones, the documents' size summaries are
 * rewritten, and the operation's counters and the slice's progress move by compare-and-set. Any
 * step failing (or the operation having stopped) rolls all of it back.
 */
async function writeInTransaction(
  tx: SqlExecutor,
  copies: boolean,
  batch: OperationBatch,
): Promise<BatchOutcome> {
  const ids = batch.documents.map((document) => document.documentId).filter(isId);
  const locked = await tx.query<{ id: string; collection_id: string }>(
    `SELECT "id", "collection_id" FROM "documents" WHERE "id" = ANY($1::uuid[]) ORDER BY "id" FOR NO KEY UPDATE`,
    [ids],
  );
  const collections = new Map(locked.map((row) => [row.id, row.collection_id]));
  const liveIds = ids.filter((id) => collections.has(id));
  const sets = await tx.query<{ id: string; document_id: string; collection_id: string }>(
    `INSERT INTO "chunk_sets" ("document_id", "collection_id", "operation_id")
     SELECT "document", "collection", $3::uuid FROM unnest($1::uuid[], $2::uuid[]) AS s("document", "collection")
     RETURNING "id", "document_id", "collection_id"`,
    [liveIds, liveIds.map((id) => collections.get(id)), batch.operationId],
  );
  const live = new Map(
    sets.map((set) => [
      set.document_id,
      { documentId: set.document_id, collectionId: set.collection_id, setId: set.id },
    ]),
  );
  const counter = { rows: 0 };
  const summaries = new BatchSummaries(live.values());
  const rows = summaries.counted(targetedRows(live, batch.documents));
  if (live.size > 0 && copies) await tx.copyFrom(COPY_CHUNKS, copyText(rows, counter));
  else if (live.size > 0) counter.rows = await insertRows(tx, rows);
  const setIds = sets.map((set) => set.id);
  await tx.query(
    `UPDATE "chunk_sets" SET "state" = 'retired'
     WHERE "document_id" = ANY($1::uuid[]) AND "id" <> ALL($2::uuid[])
       AND ("state" = 'live' OR ("state" = 'writing' AND "created_at" < now() - $3::interval))`,
    [liveIds, setIds, ABANDONED_AFTER],
  );
  await tx.query(`UPDATE "chunk_sets" SET "state" = 'live' WHERE "id" = ANY($1::uuid[])`, [setIds]);
  await summaries.write(tx);
  const chunks = counter.rows + (batch.chunksAlreadyLive ?? 0);
  // Last, so the operation's row is locked only for the commit.
  const [counters] = await tx.query<{
    documents_done: number;
    documents_total: number;
    chunks_created: number;
  }>(
    `UPDATE "operations" SET
       "documents_done" = "documents_done" + $4::int,
       "chunks_created" = "chunks_created" + $5::int,
       "slice_progress"[$2::int + 1] = "slice_progress"[$2::int + 1] + $4::int,
       "updated_at" = now()
     WHERE "id" = $1::uuid AND "status" = 'processing' AND "slice_progress"[$2::int + 1] = $3::int
     RETURNING "documents_done", "documents_total", "chunks_created"`,
    [batch.operationId, batch.slice, batch.sliceDoneBefore, batch.documentsDone, chunks],
  );
  if (!counters) throw new Stopped();
  return {
    written: true,
    chunks,
    documentsDone: counters.documents_done,
    documentsTotal: counters.documents_total,
    chunksCreated: counters.chunks_created,
  };
}

/**
 * Deletes the documents' retired sets (they are invisible already), and with them their chunk rows:
 * the foreign key's cascade deletes each set's rows by `collection_id = … AND set_id = …`, an
 * equality on both, which the set key answers in the collection's partition whatever the
 * statistics say. A single DELETE of the rows by `set_id = ANY(…)` left the planner a choice it
 * made wrong on statistics that did not know the collection (one loaded since its partition was
 * last analyzed): the collection index, reading every row of the collection for each batch, so a
 * re-chunk's deletes grew with the collection (~1 s per batch at 1.4M chunks).
 */
async function dropRetired(driver: SqlDriver, documentIds: readonly string[]): Promise<void> {
  const ids = documentIds.filter(isId);
  if (ids.length === 0) return;
  await driver.execute(
    `DELETE FROM "chunk_sets" WHERE "document_id" = ANY($1::uuid[]) AND "state" = 'retired'`,
    [ids],
    `[retired sets of ${ids.length} documents]`,
  );
}

/** Writes an operation's batch (see OperationBatch); the old chunks' rows are deleted after it commits. */
export async function writeOperationBatch(driver: SqlDriver, batch: OperationBatch): Promise<BatchOutcome> {
  if (!isId(batch.operationId)) return { written: false, status: null };
  let outcome: BatchOutcome;
  try {
    outcome = await driver.withSession((session) =>
      session.transaction((tx) => writeInTransaction(tx, driver.copies, batch)),
    );
  } catch (error) {
    if (!(error instanceof Stopped)) throw error;
    const [row] = await driver.withSession((session) =>
      session.query<{ status: OperationStatus }>(`SELECT "status" FROM "operations" WHERE "id" = $1::uuid`, [
        batch.operationId,
      ]),
    );
    return { written: false, status: row?.status ?? null };
  }
  // Best effort: rows left by a failure here go with the documents' next replacement.
  await dropRetired(
    driver,
    batch.documents.map((document) => document.documentId),
  ).catch(() => undefined);
  return outcome;
}
