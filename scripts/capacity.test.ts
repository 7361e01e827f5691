import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scalingDocument } from './capacity/generate.ts';
import type { MeasuredInputs } from './capacity/inputs.ts';
import { capacityLines, documentsPerDayAtCeiling, sharedLimits, WORKLOADS } from './capacity/model.ts';

const root = join(import.meta.dirname, '..');

/** Round figures, so each line's arithmetic can be checked by hand. */
const inputs: MeasuredInputs = {
  runtime: 'node-20',
  chunking: [
    { strategy: 'recursive', unit: 'chars', sizes: '1000/200', megabytesPerSecond: 500 },
    { strategy: 'recursive', unit: 'tokens', sizes: '256/32 cl100k', megabytesPerSecond: 20 },
  ],
  previewHitsPerCore: 500,
  restPreviewHitsPerCore: 600,
  ingestChunksPerWorker: 1000,
  ingestChunksTwoWorkers: 1500,
  load: {},
  storage: {
    rows: 30_000,
    chunksPerMegabyte: 3000,
    bytesPerChunk: 1000,
    bytesPerChunkRechunked: 2000,
    documentBytesPerTextByte: 1,
    bytesPerSliceChunk: 400,
    bytesPerCompressedChunk: 800,
    substrMismatches: 0,
    insertRowsPerSecond: 100_000,
    insertMethod: { how: 'COPY into a copy of chunks', source: 'operations' },
    applyRowsPerSecond: 5000,
    rechunkRowsPerSecond: 4000,
    previewBytes: 30_000,
    perChunk: { heap: 600, toast: 0, indexes: 400, content: 350, embedHeader: 40 },
    chunkTableOverText: 3,
    reads: {
      pageStoredMs: 1,
      pageSlicedMs: 10,
      pageCompressedMs: 1,
      allStoredMs: 5,
      allSlicedMs: 500,
      allCompressedMs: 6,
    },
  },
};

const need = (resource: string) => capacityLines(inputs).find((line) => line.resource === resource)?.need;

describe('pnpm capacity', () => {
  it('docs/scaling.md holds the section generated from bench/results/, byte for byte', () => {
    // On failure: pnpm capacity, and commit the regenerated section with the results.
    expect(readFileSync(join(root, 'docs/scaling.md'), 'utf8')).toBe(scalingDocument(root));
  });

  it('divides the stated workloads by the measured rates', () => {
    // The model's workloads are what these expectations were worked out for.
    expect(WORKLOADS.ingestion).toEqual({ documentsPerDay: 1_000_000, documentBytes: 20_000, peakFactor: 3 });
    // 1M/day ×3 = 34.72 documents/s × 20 KB = 0.694 MB/s × 3,000 = 2,083 chunks/s; ÷ (1,000 × 0.6) → 4 workers.
    expect(need('worker cores')).toBe("4 worker processes (8 cores with the database's share)");
    // 2,083 rows/s × 1,000 B × 2 = 4.2 MB/s; 2.1% of 100,000 rows/s.
    expect(need('PostgreSQL writes')).toMatch(
      /^4\.2 MB\/s ≈ 509 IOPS of 8 KiB; 2\.1% of the ceiling; \+60 GB\/day$/,
    );
    // 1B chunks: 1 TB of rows fresh + 333 GB of documents; 2 TB + 333 GB re-chunked.
    expect(need('PostgreSQL storage')).toMatch(/^1\.33 TB fresh, 2\.33 TB re-chunked/);
    // 10,000 ÷ 500 = 20 cores serving + 1,000 × 20 KB ÷ 20 MB/s = 1 core chunking; ÷ 0.6 → 35.
    expect(need('server cores')).toBe('35 cores');
    // 1,000 new/s × 30 KB × 1,800 s = 54 GB; 9,000 hits × 30 KB × 8 = 2.2 Gbit/s.
    expect(need('cache Redis')).toMatch(/^54 GB .*; 2\.2 Gbit\/s out$/);
  });

  it('names the busiest shared machine first, and what one primary can take', () => {
    // 1,000 new/s × 30 KB × 1,800 s = 54 GB of 64; 2.33 TB of 4; 2.2 of 10 Gbit/s; 2,083 of 100,000 rows/s.
    expect(sharedLimits(inputs).map((limit) => [limit.what, Math.round(limit.share * 1000) / 1000])).toEqual([
      ['cache Redis memory', 0.844],
      ['PostgreSQL primary disk', 0.583],
      ['cache Redis network', 0.216],
      ['PostgreSQL primary writes', 0.021],
    ]);
    // 100,000 rows/s ÷ 3,000 per MB = 33.3 MB/s ÷ 20 KB ÷ 3 × 86,400 s.
    expect(
      Math.round(documentsPerDayAtCeiling(inputs.storage as NonNullable<MeasuredInputs['storage']>)),
    ).toBe(48_000_000);
  });
});
