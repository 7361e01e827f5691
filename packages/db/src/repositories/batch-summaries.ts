import type { SqlExecutor } from '../sql.ts';
import type { NewChunk } from '../types.ts';

/**
 * What a document's chunks add to its collection's statistics (a `document_chunk_stats` row),
 * summed from the rows as a batch writes them, so that the batch's transaction does not read them
 * back: `summarise_document_chunks` computes the same from stored rows, one lateral group-by per
 * document (about a fifth of what PostgreSQL spent on an operation's batch, its planning included).
 */
class DocumentSummary {
  chunkCount = 0;
  charTotal = 0;
  minChunkSize = Number.POSITIVE_INFINITY;
  maxChunkSize = 0;
  readonly sizeCounts = new Map<number, number>();
  embedCharTotal = 0;
  minEmbedSize = Number.POSITIVE_INFINITY;
  maxEmbedSize = 0;

  add(charCount: number, headerCharacters: number): void {
    this.chunkCount += 1;
    this.charTotal += charCount;
    this.minChunkSize = Math.min(this.minChunkSize, charCount);
    this.maxChunkSize = Math.max(this.maxChunkSize, charCount);
    this.sizeCounts.set(charCount, (this.sizeCounts.get(charCount) ?? 0) + 1);
    const embedSize = charCount + headerCharacters;
    this.embedCharTotal += embedSize;
    this.minEmbedSize = Math.min(this.minEmbedSize, embedSize);
    this.maxEmbedSize = Math.max(this.maxEmbedSize, embedSize);
  }
}

/**
 * Characters of `text` as PostgreSQL's length() counts them (code points, a lone surrogate being
 * stored as U+FFFD): code units less one per surrogate pair.
 */
export function storedCharacters(text: string): number {
  let pairs = 0;
  for (let i = 0; i < text.length - 1; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        pairs += 1;
        i += 1;
      }
    }
  }
  return text.length - pairs;
}

/** A PostgreSQL array literal of integers. */
const intArray = (values: readonly number[]) => `{${values.join(',')}}`;

const UPSERT_SUMMARIES = `
  WITH "summarised" AS (
    INSERT INTO "document_chunk_stats" ("document_id", "collection_id", "chunk_count", "char_total",
      "min_chunk_size", "max_chunk_size", "chunk_sizes", "size_counts", "embed_char_total",
      "min_embed_size", "max_embed_size")
    SELECT s."document_id", s."collection_id", s."chunk_count", s."char_total", s."min_chunk_size",
      s."max_chunk_size", s."chunk_sizes"::int[], s."size_counts"::int[], s."embed_char_total",
      s."min_embed_size", s."max_embed_size"
    FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::bigint[], $5::int[], $6::int[], $7::text[],
      $8::text[], $9::bigint[], $10::int[], $11::int[])
      AS s("document_id", "collection_id", "chunk_count", "char_total", "min_chunk_size",
        "max_chunk_size", "chunk_sizes", "size_counts", "embed_char_total", "min_embed_size",
        "max_embed_size")
    ORDER BY s."document_id"
    ON CONFLICT ("document_id") DO UPDATE SET
      "chunk_count" = EXCLUDED."chunk_count", "char_total" = EXCLUDED."char_total",
      "min_chunk_size" = EXCLUDED."min_chunk_size", "max_chunk_size" = EXCLUDED."max_chunk_size",
      "chunk_sizes" = EXCLUDED."chunk_sizes", "size_counts" = EXCLUDED."size_counts",
      "embed_char_total" = EXCLUDED."embed_char_total", "min_embed_size" = EXCLUDED."min_embed_size",
      "max_embed_size" = EXCLUDED."max_embed_size"
    RETURNING "document_id"
  )
  DELETE FROM "document_chunk_stats"
  WHERE "document_id" = ANY ($12::uuid[]) AND "document_id" NOT IN (SELECT "document_id" FROM "summarised")`;

/**
 * The summaries of documents whose new chunk sets a batch writes, added to as their rows pass
 * (see `counted`), then stored by `write`: a row per document with chunks, none (deleted) for a
 * document whose new set is empty.
 */
export class BatchSummaries {
  readonly #documents = new Map<string, { collectionId: string; summary: DocumentSummary }>();
  /** Header → its stored characters: a document's chunks mostly share a few headers. */
  readonly #headerCharacters = new Map<string, number>();

  /** Every document of the batch that gets a new set, chunks or not. */
  constructor(documents: Iterable<{ documentId: string; collectionId: string }>) {
    for (const { documentId, collectionId } of documents) {
      this.#documents.set(documentId, { collectionId, summary: new DocumentSummary() });
    }
  }

  /** Passes the rows through, summing each into its document's summary. */
  *counted<Target extends { documentId: string }>(
    rows: Iterable<[Target, NewChunk]>,
  ): Generator<[Target, NewChunk]> {
    for (const row of rows) {
      const [target, chunk] = row;
      const header = chunk.embedHeader ?? '';
      let headerCharacters = this.#headerCharacters.get(header);
      if (headerCharacters === undefined) {
        headerCharacters = storedCharacters(header);
        this.#headerCharacters.set(header, headerCharacters);
      }
      this.#documents.get(target.documentId)?.summary.add(chunk.charCount, headerCharacters);
      yield row;
    }
  }

  /** Upserts the summaries and deletes those of documents left without chunks, in one statement. */
  async write(tx: SqlExecutor): Promise<void> {
    const summarised = [...this.#documents].filter(([, { summary }]) => summary.chunkCount > 0);
    const column = <T>(pick: (summary: DocumentSummary) => T) =>
      summarised.map(([, { summary }]) => pick(summary));
    const sizes = summarised.map(([, { summary }]) => [...summary.sizeCounts].sort(([a], [b]) => a - b));
    await tx.query(UPSERT_SUMMARIES, [
      summarised.map(([documentId]) => documentId),
      summarised.map(([, { collectionId }]) => collectionId),
      column((summary) => summary.chunkCount),
      column((summary) => summary.charTotal),
      column((summary) => summary.minChunkSize),
      column((summary) => summary.maxChunkSize),
      sizes.map((pairs) => intArray(pairs.map(([size]) => size))),
      sizes.map((pairs) => intArray(pairs.map(([, count]) => count))),
      column((summary) => summary.embedCharTotal),
      column((summary) => summary.minEmbedSize),
      column((summary) => summary.maxEmbedSize),
      [...this.#documents.keys()],
    ]);
  }
}
