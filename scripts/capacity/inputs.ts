// The measured figures the capacity model starts from, read out of the committed benchmark results
// (bench/results/node-<major>/): chunking MB/s per core, cached previews per core, ingestion
// chunks/s per worker, bytes per stored chunk and the primary's insert ceiling.
import { find, megabytesPerSecond, perSecond } from '../bench-report/figures.ts';
import type { Json, Results, Runtime } from '../bench-report/results.ts';

export interface ChunkingRate {
  strategy: string;
  unit: 'chars' | 'tokens';
  /** The benchmark's sizes, e.g. `1000/200 chars`. */
  sizes: string;
  megabytesPerSecond: number;
}

export interface StorageFigures {
  /** Chunk rows the benchmark stored. */
  rows: number;
  /** Chunks the benchmark corpus made per MB (10^6 bytes) of UTF-8, `recursive` 400/80 chars. */
  chunksPerMegabyte: number;
  /** The chunks table (heap, TOAST, indexes) per row, freshly written. */
  bytesPerChunk: number;
  /** The same after one re-chunk of every row: the space of the dead versions stays in the files. */
  bytesPerChunkRechunked: number;
  /** The documents table per byte of document text. */
  documentBytesPerTextByte: number;
  /** The chunks table without `content` (offsets into the document), per row. */
  bytesPerSliceChunk: number;
  /** The chunks table with `content` compressed in the row (lz4), per row. */
  bytesPerCompressedChunk: number;
  /** Chunks whose PostgreSQL `substr` of the document differs from their content (UTF-16 vs code points). */
  substrMismatches: number;
  /**
   * PostgreSQL alone writing chunk rows, rows/s: COPY into a copy of the chunks table (the
   * operations benchmark's floor, the write path's own method) when the results have it, else one
   * INSERT … SELECT of the stored rows into a table like chunks (the storage benchmark).
   */
  insertRowsPerSecond: number;
  insertMethod: { how: string; source: 'operations' | 'storage' };
  /** Rows/s of applying, then of re-applying, through the services in one process. */
  applyRowsPerSecond: number;
  rechunkRowsPerSecond: number;
  /** A cached preview of a ~20 KB document (`recursive` 256/32 tokens), as stored. */
  previewBytes: number;
  /** Where a fresh row's bytes go: heap, TOAST, indexes; and its text columns. */
  perChunk: { heap: number; toast: number; indexes: number; content: number; embedHeader: number };
  /** The chunks table over the text it was cut from. */
  chunkTableOverText: number;
  /** Reading text: stored column vs a `substr` of the document (median ms, EXPLAIN ANALYZE). */
  reads: {
    pageStoredMs: number;
    pageSlicedMs: number;
    pageCompressedMs: number;
    allStoredMs: number;
    allSlicedMs: number;
    allCompressedMs: number;
  };
}

export interface MeasuredInputs {
  runtime: Runtime;
  chunking: ChunkingRate[];
  /** Cached `chunking.preview` answers per second, one at a time over loopback (client and server on one core's worth). */
  previewHitsPerCore: number;
  restPreviewHitsPerCore: number;
  /** Chunks persisted per second, API → BullMQ → one worker process → PostgreSQL, on this 2-core host. */
  ingestChunksPerWorker: number;
  ingestChunksTwoWorkers: number;
  /** Load average when the figures were taken, per results file. */
  load: Record<string, number[]>;
  storage: StorageFigures | undefined;
}

const STRATEGIES = [
  'fixed',
  'recursive',
  'markdown',
  'sentence',
  'code',
  'semantic',
  'hierarchical',
  'hybrid',
];
const asJson = (value: unknown): Json => (typeof value === 'object' && value !== null ? (value as Json) : {});
const numberAt = (value: Json, ...path: string[]) =>
  Number(path.reduce<unknown>((at, key) => asJson(at)[key], value));

function chunkingRates(report: Json | undefined): ChunkingRate[] {
  const rates: ChunkingRate[] = [];
  const chars = megabytesPerSecond(find(report, 'ours recursive 1000/200 chars'));
  if (chars !== undefined)
    rates.push({ strategy: 'recursive', unit: 'chars', sizes: '1000/200', megabytesPerSecond: chars });
  for (const strategy of STRATEGIES) {
    const tokens = megabytesPerSecond(find(report, `ours ${strategy} 256/32 tokens`));
    if (tokens !== undefined)
      rates.push({ strategy, unit: 'tokens', sizes: '256/32 cl100k', megabytesPerSecond: tokens });
  }
  return rates;
}

function storageFigures(report: Json | undefined, operations: Json | undefined): StorageFigures | undefined {
  if (report === undefined) return undefined;
  const copy = numberAt(operations ?? {}, 'copyFloor', 'rowsPerSecond');
  const rows = numberAt(report, 'chunks', 'rows');
  const corpusBytes = numberAt(report, 'corpus', 'utf8Bytes');
  return {
    rows,
    chunksPerMegabyte: rows / (corpusBytes / 1e6),
    bytesPerChunk: numberAt(report, 'chunks', 'bytesPerRow'),
    bytesPerChunkRechunked: numberAt(report, 'afterRechunk', 'bytesPerRow'),
    documentBytesPerTextByte: numberAt(report, 'corpus', 'documentTableBytes') / corpusBytes,
    bytesPerSliceChunk: numberAt(report, 'slice', 'table', 'bytesPerRow'),
    bytesPerCompressedChunk: numberAt(report, 'compressed', 'table', 'bytesPerRow'),
    substrMismatches: numberAt(report, 'slice', 'substrMismatches'),
    ...(Number.isFinite(copy) && copy > 0
      ? {
          insertRowsPerSecond: copy,
          insertMethod: { how: 'COPY into a copy of chunks', source: 'operations' },
        }
      : {
          insertRowsPerSecond: numberAt(report, 'insert', 'rowsPerSecond'),
          insertMethod: { how: 'INSERT … SELECT into a copy of chunks', source: 'storage' },
        }),
    applyRowsPerSecond: numberAt(report, 'firstApply', 'rowsPerSecond'),
    rechunkRowsPerSecond: numberAt(report, 'rechunk', 'rowsPerSecond'),
    previewBytes: numberAt(report, 'preview', 'jsonBytes'),
    perChunk: {
      heap: numberAt(report, 'chunks', 'heapBytes') / rows,
      toast: numberAt(report, 'chunks', 'toastBytes') / rows,
      indexes: numberAt(report, 'chunks', 'indexBytes') / rows,
      content: numberAt(report, 'columns', 'avgContentBytes'),
      embedHeader: numberAt(report, 'columns', 'avgEmbedHeaderBytes'),
    },
    chunkTableOverText: numberAt(report, 'chunkTableOverCorpus'),
    reads: {
      pageStoredMs: numberAt(report, 'slice', 'read', 'pageOf100StoredMs'),
      pageSlicedMs: numberAt(report, 'slice', 'read', 'pageOf100SlicedExternalMs'),
      pageCompressedMs: numberAt(report, 'compressed', 'read', 'pageOf100Ms'),
      allStoredMs: numberAt(report, 'slice', 'read', 'allStoredMs'),
      allSlicedMs: numberAt(report, 'slice', 'read', 'allSlicedExternalMs'),
      allCompressedMs: numberAt(report, 'compressed', 'read', 'allMs'),
    },
  };
}

/** The inputs of one runtime's results; undefined when a figure the model needs is missing. */
export function measuredInputs(results: Results, runtime: Runtime): MeasuredInputs | undefined {
  const reports = results[runtime];
  const serving = reports.get('serving');
  const operations = reports.get('operations');
  const apply = (workers: number) =>
    (Array.isArray(operations?.apply) ? (operations.apply as Json[]) : []).find(
      (run) => run.workers === workers,
    );
  const previewHitsPerCore = perSecond(find(serving, 'tRPC chunking.preview (cache hit)'));
  const restPreviewHitsPerCore = perSecond(find(serving, 'REST POST /api/v2/chunking/preview (cache hit)'));
  const one = apply(1);
  const two = apply(2);
  if (previewHitsPerCore === undefined || restPreviewHitsPerCore === undefined || !one || !two)
    return undefined;
  const load: Record<string, number[]> = {};
  for (const [source, report] of reports) {
    const average = asJson(report.environment).loadAverage;
    if (Array.isArray(average)) load[source] = average.map(Number);
  }
  return {
    runtime,
    chunking: chunkingRates(reports.get('chunkers')),
    previewHitsPerCore,
    restPreviewHitsPerCore,
    ingestChunksPerWorker: Number(one.chunksPerSecond),
    ingestChunksTwoWorkers: Number(two.chunksPerSecond),
    load,
    storage: storageFigures(reports.get('storage'), operations),
  };
}
