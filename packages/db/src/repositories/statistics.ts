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
   * Per-collection statistics from four aggregate queries run together, whatever the number of
   * documents, chunks or operations. Null when the tenant has no such collection.
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

/**
 * Count, mean, extremes and the size distribution of a collection's chunks in one statement, from
 * the collection's rollup of its documents' summaries (`collection_chunk_sizes`, kept by triggers
 * in the statement that changes a summary): a row per distinct size, whatever the number of
 * documents, binned with width_bucket. Integer char counts make `width` a whole number of chars,
 * so bin i holds [smallest + (i-1)·width, smallest + i·width - 1].
 */
function chunkSizes(reads: ReadClient, collectionId: string) {
  return reads.$queryRaw<ChunkSizeRow[]>`
    WITH sizes AS (
      SELECT kind, size, count FROM collection_chunk_sizes
      WHERE collection_id = ${collectionId}::uuid AND count <> 0
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
    SELECT shape.total, shape.average, shape.smallest, shape.largest, shape.width, shape."embedAverage",
      shape."embedSmallest", shape."embedLargest",
      bin.n AS bin, coalesce(counts.count, 0)::int AS count
    FROM shape
    LEFT JOIN generate_series(1, shape.bins) AS bin (n) ON true
    LEFT JOIN counts ON counts.bin = bin.n
    ORDER BY bin.n`;
}

/**
 * The collection's document count, from its row of `collection_document_counts` (kept by triggers
 * on documents), and its newest document's creation time, one descent of the (collection_id,
 * created_at) index: neither reads the collection's documents.
 */
async function documentsOf(reads: ReadClient, collectionId: string) {
  const [row] = await reads.$queryRaw<{ count: bigint | null; lastCreatedAt: Date | null }[]>`
    SELECT (SELECT documents FROM collection_document_counts WHERE collection_id = ${collectionId}::uuid) AS count,
      (SELECT max(created_at) FROM documents WHERE collection_id = ${collectionId}::uuid) AS "lastCreatedAt"`;
  return row;
}

function sizeDistribution(rows: readonly ChunkSizeRow[]): ChunkSizeBin[] {
  return rows.flatMap(({ bin, smallest, width, count }) =>
    bin === null || smallest === null || width === null
      ? []
      : [{ from: smallest + (bin - 1) * width, to: smallest + bin * width - 1, count }],
  );
}

function latest(...dates: (Date | null | undefined)[]): Date | undefined {
  return dates.reduce<Date | undefined>(
    (max, date) => (date && (!max || date > max) ? date : max),
    undefined,
  );
}

/** Runs on `reads`: a read replica when configured. */
export function statisticsRepository(reads: ReadClient): StatisticsRepository {
  return {
    async forCollection(tenantId, collectionId) {
      if (!isId(collectionId)) return null;
      const [collection, chunkRows, documents, operations] = await Promise.all([
        reads.collection.findFirst({ where: { id: collectionId, tenantId }, select: { updatedAt: true } }),
        chunkSizes(reads, collectionId),
        documentsOf(reads, collectionId),
        reads.operation.groupBy({
          by: ['status'],
          where: { collectionId, type: CHUNKING },
          _count: { _all: true, processingMs: true },
          _avg: { processingMs: true },
          _max: { updatedAt: true },
        }),
      ]);
      // Queried together rather than after this check, to keep the latency of one round trip.
      if (!collection) return null;
      const [chunks] = chunkRows;

      const operationsByStatus = Object.fromEntries(
        operationStatuses.map((status) => [status, 0]),
      ) as OperationsByStatus;
      let timedOperations = 0;
      let processingMsTotal = 0;
      for (const group of operations) {
        operationsByStatus[group.status] = group._count._all;
        timedOperations += group._count.processingMs;
        processingMsTotal += (group._avg.processingMs ?? 0) * group._count.processingMs;
      }

      return {
        collectionId,
        totalChunks: chunks?.total ?? 0,
        totalDocuments: Number(documents?.count ?? 0),
        avgChunkSize: chunks?.average ?? 0,
        minChunkSize: chunks?.smallest ?? 0,
        maxChunkSize: chunks?.largest ?? 0,
        embedTextSize: {
          avg: chunks?.embedAverage ?? 0,
          min: chunks?.embedSmallest ?? 0,
          max: chunks?.embedLargest ?? 0,
        },
        sizeDistribution: sizeDistribution(chunkRows),
        operationsByStatus,
        avgProcessingMs: timedOperations === 0 ? null : processingMsTotal / timedOperations,
        lastUpdated:
          latest(
            collection.updatedAt,
            documents?.lastCreatedAt,
            ...operations.map((group) => group._max.updatedAt),
          ) ?? collection.updatedAt,
      };
    },
  };
}
