// The capacity model: stated workloads, divided by the rates the benchmarks measured. Every
// figure it prints is a measured input, a stated assumption (below, with its reason), or
// arithmetic on the two.
import type { MeasuredInputs, StorageFigures } from './inputs.ts';

/** The workloads the model answers for; change them here and run `pnpm capacity`. */
export const WORKLOADS = {
  ingestion: {
    documentsPerDay: 1_000_000,
    /** Average document text, UTF-8 bytes. */
    documentBytes: 20_000,
    /** Busiest hour over the day's average. */
    peakFactor: 3,
  },
  storage: { chunks: 1_000_000_000 },
  previews: {
    requestsPerSecond: 10_000,
    /** Of those, answered from the cache (the rest are new previews, computed). */
    hitRatio: 0.9,
    documentBytes: 20_000,
  },
} as const;

/** Assumptions the benchmarks do not measure, each with its reason. */
export const ASSUMPTIONS = {
  /** Server cores are kept at most this busy, so p99 stays low and a server can be lost. */
  targetUtilisation: 0.6,
  /** Preview cache TTL (FIXED_SETTINGS.previewCache), seconds. */
  previewTtlSeconds: 30 * 60,
  /** Progress log retention (FIXED_SETTINGS.progressLog), seconds, and an entry's size in Redis. */
  progressTtlSeconds: 24 * 60 * 60,
  progressEventBytes: 300,
  /** PostgreSQL writes each chunk byte about twice: the WAL, then the table and index pages. */
  writeAmplification: 2,
  pageBytes: 8192,
  /** Cores of the worker host the ingestion figure was measured on (PostgreSQL and Redis beside it). */
  coresPerMeasuredWorker: 2,
  /** The cache Redis host: its network link and memory (a common large instance). */
  redisNicGigabits: 10,
  redisHostMemoryGigabytes: 64,
  /** Disk of one PostgreSQL primary (and of each replica). */
  primaryDiskTerabytes: 4,
} as const;

export interface CapacityLine {
  workload: string;
  resource: string;
  /** How it is computed, in words and figures. */
  basis: string;
  need: string;
}

const ceil = Math.ceil;
const int = (value: number) => Math.round(value).toLocaleString('en-US');
const decimals = (value: number, digits: number) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const gigabytes = (bytes: number) => `${decimals(bytes / 1e9, bytes < 1e10 ? 1 : 0)} GB`;
const terabytes = (bytes: number) => `${decimals(bytes / 1e12, 2)} TB`;

function rateOf(inputs: MeasuredInputs, strategy: string, unit: 'chars' | 'tokens'): number {
  const found = inputs.chunking.find((rate) => rate.strategy === strategy && rate.unit === unit);
  if (!found) throw new Error(`no ${strategy} ${unit} chunking figure in the results`);
  return found.megabytesPerSecond;
}

function ingestion(inputs: MeasuredInputs, storage: StorageFigures | undefined): CapacityLine[] {
  const { documentsPerDay, documentBytes, peakFactor } = WORKLOADS.ingestion;
  const documentsPerSecond = (documentsPerDay / 86_400) * peakFactor;
  const megabytesPerSecond = (documentsPerSecond * documentBytes) / 1e6;
  const name = `${int(documentsPerDay)} documents/day of ${int(documentBytes / 1000)} KB (peak ×${peakFactor}: ${decimals(documentsPerSecond, 1)}/s, ${decimals(megabytesPerSecond, 2)} MB/s)`;
  if (!storage)
    return [
      {
        workload: name,
        resource: '—',
        basis: 'no storage results (apps/worker bench/storage.ts)',
        need: '—',
      },
    ];
  const chunksPerSecond = megabytesPerSecond * storage.chunksPerMegabyte;
  const workers = ceil(chunksPerSecond / (inputs.ingestChunksPerWorker * ASSUMPTIONS.targetUtilisation));
  const writeBytes = chunksPerSecond * storage.bytesPerChunk * ASSUMPTIONS.writeAmplification;
  const chunksPerDay = (documentsPerDay * documentBytes * storage.chunksPerMegabyte) / 1e6;
  return [
    {
      workload: name,
      resource: 'worker cores',
      basis: `${int(chunksPerSecond)} chunks/s (${decimals(storage.chunksPerMegabyte, 0)} chunks per MB, recursive 400/80) ÷ (${int(inputs.ingestChunksPerWorker)} chunks/s per measured worker × ${ASSUMPTIONS.targetUtilisation})`,
      need: `${workers} worker process${workers === 1 ? '' : 'es'} (${workers * ASSUMPTIONS.coresPerMeasuredWorker} cores with the database's share)`,
    },
    {
      workload: name,
      resource: 'chunking CPU alone',
      basis: `${decimals(megabytesPerSecond, 2)} MB/s ÷ ${decimals(rateOf(inputs, 'recursive', 'chars'), 0)} MB/s per core (chars) or ${decimals(rateOf(inputs, 'recursive', 'tokens'), 1)} (cl100k tokens)`,
      need: `${decimals(megabytesPerSecond / rateOf(inputs, 'recursive', 'chars'), 3)} / ${decimals(megabytesPerSecond / rateOf(inputs, 'recursive', 'tokens'), 2)} core`,
    },
    {
      workload: name,
      resource: 'PostgreSQL writes',
      basis: `${int(chunksPerSecond)} rows/s × ${int(storage.bytesPerChunk)} B × ${ASSUMPTIONS.writeAmplification} (WAL + pages); primary's measured insert ceiling ${int(storage.insertRowsPerSecond)} rows/s`,
      need: `${decimals(writeBytes / 1e6, 1)} MB/s ≈ ${int(writeBytes / ASSUMPTIONS.pageBytes)} IOPS of 8 KiB; ${decimals((100 * chunksPerSecond) / storage.insertRowsPerSecond, 1)}% of the ceiling; +${gigabytes(chunksPerDay * storage.bytesPerChunk)}/day`,
    },
  ];
}

function stored(storage: StorageFigures | undefined): CapacityLine[] {
  const { chunks } = WORKLOADS.storage;
  const name = `${int(chunks / 1e9)}B chunks stored`;
  if (!storage) return [];
  const text = (chunks / storage.chunksPerMegabyte) * 1e6;
  const fresh = chunks * storage.bytesPerChunk;
  const rechunked = chunks * storage.bytesPerChunkRechunked;
  const documents = text * storage.documentBytesPerTextByte;
  return [
    {
      workload: name,
      resource: 'PostgreSQL storage',
      basis: `chunks ${int(storage.bytesPerChunk)} B/row fresh, ${int(storage.bytesPerChunkRechunked)} after a re-chunk (dead versions' space kept); documents ${gigabytes(text)} of text × ${decimals(storage.documentBytesPerTextByte, 2)}`,
      need: `${terabytes(fresh + documents)} fresh, ${terabytes(rechunked + documents)} re-chunked (×${decimals((rechunked + documents) / text, 1)} the text), per copy (primary, each replica)`,
    },
  ];
}

function previews(inputs: MeasuredInputs, storage: StorageFigures | undefined): CapacityLine[] {
  const { requestsPerSecond, hitRatio, documentBytes } = WORKLOADS.previews;
  const hits = requestsPerSecond * hitRatio;
  const misses = requestsPerSecond - hits;
  const name = `${int(requestsPerSecond)} previews/s (${int(hitRatio * 100)}% cached, ${int(documentBytes / 1000)} KB documents)`;
  const tokensRate = rateOf(inputs, 'recursive', 'tokens');
  // A new preview costs what a hit costs to serve plus its chunking.
  const servingCores = requestsPerSecond / inputs.previewHitsPerCore;
  const chunkingCores = (misses * documentBytes) / 1e6 / tokensRate;
  const cores = ceil((servingCores + chunkingCores) / ASSUMPTIONS.targetUtilisation);
  const lines: CapacityLine[] = [
    {
      workload: name,
      resource: 'server cores',
      basis: `${int(requestsPerSecond)} ÷ ${int(inputs.previewHitsPerCore)} answers/s per core + ${int(misses)} new × ${int(documentBytes / 1000)} KB ÷ ${decimals(tokensRate, 1)} MB/s (recursive, tokens); at ${ASSUMPTIONS.targetUtilisation} utilisation`,
      need: `${cores} cores`,
    },
  ];
  if (storage) {
    const memory = misses * storage.previewBytes * ASSUMPTIONS.previewTtlSeconds;
    lines.push({
      workload: name,
      resource: 'cache Redis',
      basis: `${int(misses)} new/s × ${int(storage.previewBytes)} B × ${ASSUMPTIONS.previewTtlSeconds} s TTL; reads ${int(hits)}/s × ${int(storage.previewBytes / 1000)} KB`,
      need: `${gigabytes(memory)} to keep every preview its 30 min (less: allkeys-lru drops the coldest); ${decimals((hits * storage.previewBytes * 8) / 1e9, 1)} Gbit/s out`,
    });
  }
  return lines;
}

function queue(): CapacityLine[] {
  const { documentsPerDay } = WORKLOADS.ingestion;
  const bytes = (documentsPerDay * ASSUMPTIONS.progressEventBytes * ASSUMPTIONS.progressTtlSeconds) / 86_400;
  return [
    {
      workload: `${int(documentsPerDay)} documents/day`,
      resource: 'queue Redis',
      basis: `one progress event per document kept ${ASSUMPTIONS.progressTtlSeconds / 3600} h × ~${ASSUMPTIONS.progressEventBytes} B; jobs are one small hash per operation`,
      need: `${gigabytes(bytes * 2)} with headroom ×2 (noeviction)`,
    },
  ];
}

/** Every line of the model for the stated workloads. */
export function capacityLines(inputs: MeasuredInputs): CapacityLine[] {
  return [
    ...ingestion(inputs, inputs.storage),
    ...stored(inputs.storage),
    ...previews(inputs, inputs.storage),
    ...queue(),
  ];
}

export interface SharedLimit {
  what: string;
  /** Share of its capacity the stated workloads use. */
  share: number;
  detail: string;
}

/**
 * The shared single machines, each with the share of its capacity the stated workloads use,
 * busiest first: servers and workers scale out, so the first limit is one of these.
 */
export function sharedLimits(inputs: MeasuredInputs): SharedLimit[] {
  const storage = inputs.storage;
  if (!storage) return [];
  const { documentsPerDay, documentBytes, peakFactor } = WORKLOADS.ingestion;
  const chunksPerSecond =
    ((documentsPerDay / 86_400) * peakFactor * documentBytes * storage.chunksPerMegabyte) / 1e6;
  const { requestsPerSecond, hitRatio } = WORKLOADS.previews;
  const cacheGigabits = (requestsPerSecond * hitRatio * storage.previewBytes * 8) / 1e9;
  const cacheBytes =
    requestsPerSecond * (1 - hitRatio) * storage.previewBytes * ASSUMPTIONS.previewTtlSeconds;
  const storedBytes =
    WORKLOADS.storage.chunks * storage.bytesPerChunkRechunked +
    (WORKLOADS.storage.chunks / storage.chunksPerMegabyte) * 1e6 * storage.documentBytesPerTextByte;
  const limits: SharedLimit[] = [
    {
      what: 'cache Redis memory',
      share: cacheBytes / 1e9 / ASSUMPTIONS.redisHostMemoryGigabytes,
      detail: `${gigabytes(cacheBytes)} of previews for their whole TTL on a ${ASSUMPTIONS.redisHostMemoryGigabytes} GB host`,
    },
    {
      what: 'PostgreSQL primary disk',
      share: storedBytes / 1e12 / ASSUMPTIONS.primaryDiskTerabytes,
      detail: `${terabytes(storedBytes)} for ${int(WORKLOADS.storage.chunks / 1e9)}B re-chunked chunks and their documents on ${ASSUMPTIONS.primaryDiskTerabytes} TB`,
    },
    {
      what: 'cache Redis network',
      share: cacheGigabits / ASSUMPTIONS.redisNicGigabits,
      detail: `${decimals(cacheGigabits, 1)} Gbit/s of cached previews out of one Redis with a ${ASSUMPTIONS.redisNicGigabits} Gbit/s link`,
    },
    {
      what: 'PostgreSQL primary writes',
      share: chunksPerSecond / storage.insertRowsPerSecond,
      detail: `${int(chunksPerSecond)} chunk rows/s at the ingestion peak against ${int(storage.insertRowsPerSecond)} rows/s, its measured insert ceiling`,
    },
  ];
  return limits.sort((a, b) => b.share - a.share);
}

/** Documents/day of the stated shape one primary can take at its measured insert ceiling. */
export function documentsPerDayAtCeiling(storage: StorageFigures): number {
  const { documentBytes, peakFactor } = WORKLOADS.ingestion;
  return (
    (((storage.insertRowsPerSecond / storage.chunksPerMegabyte) * 1e6) / documentBytes / peakFactor) * 86_400
  );
}
