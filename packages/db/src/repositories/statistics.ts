import { isId } from '../ids.ts';
import type { ReadClient } from '../prisma-client.ts';
import {
  type ChunkSizeBin,
  type CollectionStatistics,
  type OperationsByStatus,
  operationStatuses,
} from '../types.ts';

export interface StatisticsRepository {
  /**
   * Per-collection statistics from one statement of constant-size aggregations, whatever the
   * number of documents, chunks or operations. Null when the tenant has no such collection.
   */
  forCollection(tenantId: string, collectionId: string): Promise<CollectionStatistics | null>;
}

/** Statistics describe chunking; the (collection_id, type, status) index answers exactly this. */
const CHUNKING = 'chunking';

/** Bins of the chunk size distribution: enough for its shape, few enough to label. */
const SIZE_BINS = 12;

/** One row per bin (one row with a null bin when there are no chunks), each with the totals. */
interface ChunkSizeRow {
  total: number;
  average: number | null;
  embedAverage: number | null;
  embedSmallest: number | null;
  embedLargest: number | null;
  smallest: number | null;
  largest: number | null;
  width: number | null;
  bin: number | null;
  count: number;
}

interface StatisticsRow {
  documentCount: bigint | null;
  /** Chunking operations by status (the statuses that have any); JSON, parsed by the driver. */
  operationsByStatus: Partial<OperationsByStatus>;
  avgProcessingMs: number | null;
  lastUpdated: Date;
  chunkSizes: ChunkSizeRow[];
}

/**
 * Everything in one statement: one round trip and one backend's turn instead of four. Each part
 * reads a constant amount, found by a collection-led index:
 * - the document count from `collection_document_counts` (kept by triggers on documents) and the
 *   newest document's creation time, one descent of the (collection_id, created_at) index;
 * - the chunking operations grouped by status, on the (collection_id, type, status) index: their
 *   counts, the mean processing time of those that recorded one, the latest update;
 * - count, mean, extremes and the size distribution of the chunks, from the collection's rollup of
 *   its documents' summaries (`collection_chunk_sizes`, kept by triggers in the statement that
 *   changes a summary): a row per distinct size, binned with width_bucket. Integer char counts
 *   make `width` a whole number of chars, so bin i holds [smallest + (i-1)·width, smallest + i·width - 1].
 */
function statisticsOf(reads: ReadClient, tenantId: string, collectionId: string) {
  return reads.$queryRaw<StatisticsRow[]>`
    SELECT
      (SELECT documents FROM collection_document_counts WHERE collection_id = c.id) AS "documentCount",
      operations.by_status AS "operationsByStatus", operations.average_ms AS "avgProcessingMs",
      greatest(c.updated_at, documents.last_created, operations.last_updated) AS "lastUpdated",
      (WITH sizes AS (
        SELECT kind, size, count FROM collection_chunk_sizes
        WHERE collection_id = c.id AND count <> 0
      ), content AS (
        SELECT size, count FROM sizes WHERE kind = 'content'
      ), summary AS (
        SELECT coalesce(sum(count), 0)::int AS total,
          (sum(size * count) / nullif(sum(count), 0))::float8 AS average,
          min(size) AS smallest, max(size) AS largest,
          ((SELECT sum(count) FROM sizes WHERE kind = 'embed_chars') / nullif(sum(count), 0))::float8
            AS "embedAverage",
          (SELECT min(size) FROM sizes WHERE kind = 'embed_min') AS "embedSmallest",
          (SELECT max(size) FROM sizes WHERE kind = 'embed_max') AS "embedLargest",
          ceil((max(size) - min(size) + 1) / ${SIZE_BINS}::numeric)::int AS width
        FROM content
      ), shape AS (
        SELECT *, ceil((largest - smallest + 1) / width::numeric)::int AS bins FROM summary
      ), counts AS (
        SELECT width_bucket(content.size, smallest, smallest + width * bins, bins) AS bin,
          sum(content.count)::int AS count
        FROM content CROSS JOIN shape
        GROUP BY 1
      )
      SELECT json_agg(json_build_object(
        'total', shape.total, 'average', shape.average, 'smallest', shape.smallest,
        'largest', shape.largest, 'width', shape.width, 'embedAverage', shape."embedAverage",
        'embedSmallest', shape."embedSmallest", 'embedLargest', shape."embedLargest",
        'bin', bin.n, 'count', coalesce(counts.count, 0)) ORDER BY bin.n)
      FROM shape
      LEFT JOIN generate_series(1, shape.bins) AS bin (n) ON true
      LEFT JOIN counts ON counts.bin = bin.n) AS "chunkSizes"
    FROM collections c
    CROSS JOIN LATERAL (
      SELECT max(created_at) AS last_created FROM documents WHERE collection_id = c.id
    ) AS documents
    CROSS JOIN LATERAL (
      SELECT coalesce(json_object_agg(status, count), '{}'::json) AS by_status,
        (sum(total_ms) / nullif(sum(timed), 0))::float8 AS average_ms, max(last_updated) AS last_updated
      FROM (
        SELECT status, count(*) AS count, count(processing_ms) AS timed, sum(processing_ms) AS total_ms,
          max(updated_at) AS last_updated
        FROM operations WHERE collection_id = c.id AND type = ${CHUNKING}
        GROUP BY status
      ) AS by_status
    ) AS operations
    WHERE c.id = ${collectionId}::uuid AND c.tenant_id = ${tenantId}::uuid`;
}

function sizeDistribution(rows: readonly ChunkSizeRow[]): ChunkSizeBin[] {
  return rows.flatMap(({ bin, smallest, width, count }) =>
    bin === null || smallest === null || width === null
      ? []
      : [{ from: smallest + (bin - 1) * width, to: smallest + bin * width - 1, count }],
  );
}

/** Runs on `reads`: a read replica when configured. */
export function statisticsRepository(reads: ReadClient): StatisticsRepository {
  return {
    async forCollection(tenantId, collectionId) {
      if (!isId(collectionId) || !isId(tenantId)) return null;
      const [row] = await statisticsOf(reads, tenantId, collectionId);
      if (!row) return null;
      const chunkRows = row.chunkSizes;
      const [chunks] = chunkRows;
      return {
        collectionId,
        totalChunks: chunks?.total ?? 0,
        totalDocuments: Number(row.documentCount ?? 0),
        avgChunkSize: chunks?.average ?? 0,
        minChunkSize: chunks?.smallest ?? 0,
        maxChunkSize: chunks?.largest ?? 0,
        embedTextSize: {
          avg: chunks?.embedAverage ?? 0,
          min: chunks?.embedSmallest ?? 0,
          max: chunks?.embedLargest ?? 0,
        },
        sizeDistribution: sizeDistribution(chunkRows),
        operationsByStatus: {
          ...(Object.fromEntries(operationStatuses.map((status) => [status, 0])) as OperationsByStatus),
          ...row.operationsByStatus,
        },
        avgProcessingMs: row.avgProcessingMs,
        lastUpdated: row.lastUpdated,
      };
    },
  };
}
