import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchmarksOf, megabytesPerSecond } from './bench-report/figures.ts';
import { generatedFiles } from './bench-report/generate.ts';
import { splice, table, times } from './bench-report/markdown.ts';
import {
  conversionSection,
  exportSection,
  ingestSection,
  partitionsSection,
} from './bench-report/render-docs.ts';
import { runtimeOf } from './bench-report/results.ts';

const root = join(import.meta.dirname, '..');

describe('pnpm bench:report', () => {
  it.each(generatedFiles(root))(
    '$path holds the figures generated from bench/results/, byte for byte',
    ({ path, content }) => {
      // On failure: pnpm bench:report, and commit the regenerated tables with the results.
      expect(readFileSync(join(root, path), 'utf8')).toBe(content);
    },
  );

  it('pads tables as Biome formats them and replaces only what lies between the markers', () => {
    expect(table(['a', 'long header'], [['wider cell', 'x']])).toBe(
      ['| a          | long header |', '| ---------- | ----------- |', '| wider cell | x           |'].join(
        '\n',
      ),
    );
    const document = 'before\n<!-- x:start -->\nold\n<!-- x:end -->\nafter\n';
    expect(splice(document, 'x', 'new')).toBe('before\n<!-- x:start -->\n\nnew\n\n<!-- x:end -->\nafter\n');
    expect(() => splice('no markers', 'x', 'new')).toThrow(/markers/);
  });

  it('files results under the runtime that produced them, and none it has no column for', () => {
    expect(runtimeOf({ environment: { node: 'v24.22.3' } })).toBe('node-24');
    expect(runtimeOf({ environment: { node: 'v20.20.2' } })).toBe('node-20');
    expect(runtimeOf({ environment: { node: 'v22.1.0' } })).toBeUndefined();
    expect(runtimeOf({})).toBeUndefined();
  });

  it('reads MB/s from the median run and the bytes the group names, rounds merged', () => {
    const group = (round: number, median: number) => ({
      fullName: `bench/c.bench.ts > fixed on 2,000,000 bytes · round ${round}`,
      benchmarks: [{ name: 'ours fixed', median }],
    });
    const report = { files: [{ groups: [group(1, 100), group(2, 400), group(3, 200)] }] };
    const [fixed] = benchmarksOf(report);
    expect(fixed).toEqual({ group: 'fixed on 2,000,000 bytes', name: 'ours fixed', medianMs: 200 });
    expect(megabytesPerSecond(fixed)).toBe(10);
    expect([times(17.06), times(0.447), times(0.00467)]).toEqual(['×17.1', '×0.45', '×0.0047']);
  });
});

describe('the export and conversion tables', () => {
  const environment = { date: '2026-12-07T01:00:00.000Z', node: 'v20.20.2', cores: 2, cpu: 'AMD EPYC' };
  const results = (source: string, report: Record<string, unknown>) => ({
    'node-20': new Map([[source, { environment, ...report }]]),
    'node-24': new Map(),
  });

  it('shows each read of the export against the floor measured in the same run', () => {
    const section = exportSection(
      results('export', {
        chunks: 1_000_000,
        serverRssBeforeMb: 240,
        floor: { linesPerSecond: 100_000 },
        raw: { linesPerSecond: 25_000 },
        parsed: { linesPerSecond: 20_000 },
        serverPeakAfterRawMb: 300,
        serverPeakAfterMb: 310,
      }),
    );
    expect(section).toContain('| Node 20 | 1,000,000 | raw bytes ');
    expect(section).toMatch(/raw bytes\s+\| 25,000\s+\| ×0.25\s+\| 300 MB/);
    expect(section).toMatch(/`exportChunks` \(parsed\)\s+\| 20,000\s+\| ×0.20\s+\| 310 MB/);
    expect(section).toContain('`node-20/export.json`: Node 20.20.2');
  });

  it('shows each first apply and the re-chunk beside the chunks’ COPY floor', () => {
    const apply = (workers: number, chunksPerSecond: number) => ({
      workers,
      documents: 1_000,
      seconds: 2,
      documentsPerSecond: 500,
      chunks: 20_000,
      chunksPerSecond,
      statistics: { p50Ms: 4, p99Ms: 12, samples: 40, eventLoopDelayP99Ms: 3.5 },
    });
    const section = ingestSection(
      results('ingest', {
        strategy: 'recursive',
        config: { chunkSize: 400 },
        chunksCopy: { rows: 20_000, rowsPerSecond: 50_000 },
        apply: [apply(1, 10_000), apply(2, 12_000)],
        rechunk: apply(1, 8_000),
      }),
    );
    expect(section).toMatch(
      /\| apply recursive, 1 worker\s+\|.*\| 10,000\s+\| 20,000 chunks, ×0.20 the chunks' COPY floor/,
    );
    expect(section).toMatch(/\| apply recursive, 2 workers\s+\|.*×0.24 the chunks' COPY floor/);
    expect(section).toMatch(
      /\| re-chunk recursive, 1 worker\s+\|.*\| 8,000\s+\|.*server event-loop delay p99 3.5 ms/,
    );
  });

  it('shows one collection’s work on both layouts, a gain above 1 where partitioned is better', () => {
    const layout = (name: string, writeRate: number, vacuumMs: number, deleteMs: number) => ({
      layout: name,
      others: { chunkTableBytes: 800_000_000 },
      firstWrite: { rowsPerSecond: writeRate },
      rechunk: { rowsPerSecond: writeRate },
      listing: { msPerPage: 10 },
      statisticsMs: { p50: 4 },
      vacuum: {
        relation: name === 'one table' ? 'chunks' : 'chunks_p03',
        relationBytes: 900_000_000,
        ms: vacuumMs,
      },
      deleteCollectionMs: deleteMs,
    });
    const section = partitionsSection(
      results('partitions', {
        otherChunks: 1_000_000,
        collection: { documents: 200, chunks: 20_000 },
        layouts: [layout('one table', 10_000, 300, 40), layout('16 partitions', 12_000, 100, 80)],
        migration: { rows: 1_000_000, migrations: ['a', 'b'], seconds: 24.5, rowsPerSecond: 40_816 },
      }),
    );
    expect(section).toMatch(/first write of the collection, rows\/s\s+\| 10,000\s+\| 12,000\s+\| ×1.20/);
    expect(section).toMatch(
      /VACUUM \(with its index pass\) after the re-chunk, ms\s+\| 300\s+\| 100\s+\| ×3.00/,
    );
    expect(section).toMatch(/delete of the collection, ms\s+\| 40\s+\| 80\s+\| ×0.50/);
    expect(section).toMatch(/covers\s+\| chunks, 900 MB\s+\| chunks_p03, 900 MB/);
    expect(section).toContain('(2 migrations) of a database holding 1,000,000 chunks: 24.5 s, 40,816 rows/s');
  });

  it('names each file once and every converter on it', () => {
    const section = conversionSection(
      results('conversion', {
        files: { docx: { description: 'DOCX, 12k words, 0.02 MB' } },
        results: [
          {
            format: 'docx',
            converter: 'chunkflow',
            meanMs: 90.4,
            pagesPerSecond: null,
            mbPerSecond: 0.2,
            rssGrowthMb: 3,
            fidelity: 1,
          },
          {
            format: 'docx',
            converter: 'peer',
            meanMs: 70,
            pagesPerSecond: null,
            mbPerSecond: 0.3,
            rssGrowthMb: 1,
            fidelity: 1,
          },
        ],
      }),
    );
    expect(section).toMatch(
      /\| DOCX, 12k words, 0.02 MB \| chunkflow \| 90\s+\| —\s+\| 0.20 \| 3\s+\| 1.00\s+\|/,
    );
    expect(section).toMatch(/\|\s+\| peer\s+\| 70 /);
  });

  it('says how to publish a run when there is none', () => {
    expect(exportSection({ 'node-20': new Map(), 'node-24': new Map() })).toMatch(/^No published run yet/);
  });
});
