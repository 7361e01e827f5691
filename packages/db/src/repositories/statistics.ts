import { isId } from '../ids.ts';
import type { ReadClient } from '../prisma-client.ts';
import { type CollectionStatistics, type OperationsByStatus, operationStatuses } from '../types.ts';

export interface StatisticsRepository {
  /**
   * Per-collection statistics from four aggregate queries run together, whatever the number of
   * documents, chunks or operations. Null when the tenant has no such collection.
   */
  forCollection(tenantId: string, collectionId: string): Promise<CollectionStatistics | null>;
}

/** Statistics describe chunking; the (collection_id, type, status) index answers exactly this. */
const CHUNKING = 'chunking';

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
      const [collection, chunks, documents, operations] = await Promise.all([
        reads.collection.findFirst({ where: { id: collectionId, tenantId }, select: { updatedAt: true } }),
        // Served from the (collection_id, document_id, chunk_index, char_count) index alone.
        reads.chunk.aggregate({
          where: { collectionId },
          _count: { _all: true },
          _avg: { charCount: true },
          _min: { charCount: true },
          _max: { charCount: true },
        }),
        reads.document.aggregate({
          where: { collectionId },
          _count: { _all: true },
          _max: { createdAt: true },
        }),
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
        totalChunks: chunks._count._all,
        totalDocuments: documents._count._all,
        avgChunkSize: chunks._avg.charCount ?? 0,
        minChunkSize: chunks._min.charCount ?? 0,
        maxChunkSize: chunks._max.charCount ?? 0,
        operationsByStatus,
        avgProcessingMs: timedOperations === 0 ? null : processingMsTotal / timedOperations,
        lastUpdated:
          latest(
            collection.updatedAt,
            documents._max.createdAt,
            ...operations.map((group) => group._max.updatedAt),
          ) ?? collection.updatedAt,
      };
    },
  };
}
