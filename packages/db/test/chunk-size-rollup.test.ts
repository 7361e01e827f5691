import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CollectionStatistics, Database, NewChunk } from '../src/index.ts';
import { type BackendKind, backendKinds, openBackend } from './support/backends.ts';
import { chunksOfSizes } from './support/chunks.ts';

/** A document's chunks: content sizes, each with a context header of `header` characters. */
interface Written {
  sizes: number[];
  header: number;
}

function chunksOf({ sizes, header }: Written): NewChunk[] {
  return chunksOfSizes(sizes).map((chunk) => ({ ...chunk, embedHeader: 'h'.repeat(header) }));
}

/** Means to 9 decimals: PostgreSQL divides in numeric, then rounds to a double. */
const roundedMean = (value: number) => Math.round(value * 1e9) / 1e9;

/** The statistics compared, means rounded as `expectedStatistics` rounds them. */
function compared(statistics: CollectionStatistics | null) {
  if (!statistics) return null;
  const { totalDocuments, totalChunks, avgChunkSize, minChunkSize, maxChunkSize, embedTextSize } = statistics;
  return {
    totalDocuments,
    totalChunks,
    avgChunkSize: roundedMean(avgChunkSize),
    minChunkSize,
    maxChunkSize,
    embedTextSize: { ...embedTextSize, avg: roundedMean(embedTextSize.avg) },
  };
}

/** What statistics must answer for these documents' chunks and this many documents, computed here from what was written. */
function expectedStatistics(documents: Iterable<Written>, totalDocuments: number) {
  const contents: number[] = [];
  const embeds: number[] = [];
  for (const { sizes, header } of documents) {
    contents.push(...sizes);
    embeds.push(...sizes.map((size) => size + header));
  }
  const mean = (values: number[]) =>
    values.length === 0 ? 0 : roundedMean(values.reduce((a, b) => a + b, 0) / values.length);
  return {
    totalDocuments,
    totalChunks: contents.length,
    avgChunkSize: mean(contents),
    minChunkSize: contents.length === 0 ? 0 : Math.min(...contents),
    maxChunkSize: contents.length === 0 ? 0 : Math.max(...contents),
    embedTextSize: {
      avg: mean(embeds),
      min: embeds.length === 0 ? 0 : Math.min(...embeds),
      max: embeds.length === 0 ? 0 : Math.max(...embeds),
    },
  };
}

type Step = { kind: 'write'; document: number; written: Written } | { kind: 'delete'; document: number };

const written = fc.record({
  sizes: fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 6 }),
  header: fc.integer({ min: 0, max: 5 }),
});
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('write' as const), document: fc.integer({ min: 0, max: 3 }), written }),
  fc.record({ kind: fc.constant('delete' as const), document: fc.integer({ min: 0, max: 3 }) }),
);

describe.each(backendKinds)(
  'the collection rollups (chunk sizes, document counts) on %s',
  (kind: BackendKind) => {
    let db: Database;
    let dispose: () => Promise<void>;
    let tenantId: string;
    let runs = 0;

    beforeAll(async () => {
      ({ db, dispose } = await openBackend(kind));
      tenantId = (await db.tenants.ensureTenant('rollup')).id;
    }, 60_000);

    afterAll(() => dispose?.());

    it('answers statistics exact after any sequence of re-chunks and deletes, beside another collection', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(step, { maxLength: 10 }), written, async (steps, neighbour) => {
          runs += 1;
          const collection = await db.collections.create(tenantId, { name: `rollup ${runs}` });
          const other = await db.collections.create(tenantId, { name: `neighbour ${runs}` });
          const otherDocument = await db.documents.create(tenantId, other.id, {
            name: 'n',
            contentType: 'text/plain',
            content: 'neighbour',
          });
          await db.chunks.replaceDocumentChunks(otherDocument.id, chunksOf(neighbour));
          const ids = new Map<number, string>();
          const current = new Map<number, Written>();
          for (const action of steps) {
            let id = ids.get(action.document);
            if (action.kind === 'delete') {
              if (id !== undefined) await db.documents.delete(tenantId, id);
              ids.delete(action.document);
              current.delete(action.document);
              continue;
            }
            if (id === undefined) {
              id = (
                await db.documents.create(tenantId, collection.id, {
                  name: `d${action.document}`,
                  contentType: 'text/plain',
                  content: `document ${action.document} of run ${runs}, ${Math.random()}`,
                })
              ).id;
              ids.set(action.document, id);
            }
            await db.chunks.replaceDocumentChunks(id, chunksOf(action.written));
            current.set(action.document, action.written);
          }
          const statistics = await db.statistics.forCollection(tenantId, collection.id);
          expect(compared(statistics)).toEqual(expectedStatistics(current.values(), ids.size));
          expect(statistics?.sizeDistribution.reduce((sum, bin) => sum + bin.count, 0)).toBe(
            statistics?.totalChunks,
          );
          expect(compared(await db.statistics.forCollection(tenantId, other.id))).toEqual(
            expectedStatistics([neighbour], 1),
          );
          await db.collections.delete(tenantId, collection.id);
          expect(compared(await db.statistics.forCollection(tenantId, other.id))).toEqual(
            expectedStatistics([neighbour], 1),
          );
        }),
        { numRuns: 12 },
      );
    }, 120_000);

    it('stays exact while many documents of one collection are re-chunked at once, without deadlocks', async () => {
      const collection = await db.collections.create(tenantId, { name: 'concurrent' });
      const documents = await db.documents.createMany(
        tenantId,
        collection.id,
        Array.from({ length: 24 }, (_, index) => ({
          name: `c${index}`,
          contentType: 'text/plain',
          content: `concurrent ${index}`,
        })),
      );
      const ids = documents.flatMap((stored) => (stored.status === 'created' ? [stored.document.id] : []));
      // Overlapping sizes in opposite orders, so that writers would lock the same rows in different
      // orders if the rollup did not sort them.
      const round = (flip: boolean) =>
        ids.map((_, index) => ({
          sizes: index % 2 === Number(flip) ? [5, 9, 13, 17] : [17, 13, 9, 5, 21],
          header: index % 3,
        }));
      for (const flip of [false, true, false]) {
        const writes = round(flip);
        await Promise.all(
          ids.map((id, index) => db.chunks.replaceDocumentChunks(id, chunksOf(writes[index] as Written))),
        );
        expect(compared(await db.statistics.forCollection(tenantId, collection.id))).toEqual(
          expectedStatistics(writes, ids.length),
        );
      }
    }, 60_000);
  },
);
