// Conversion throughput and fidelity, Chunkflow beside what a TypeScript user would pick instead
// (LangChain's loaders, LlamaIndex's readers), on the same generated PDF, DOCX and HTML in one run.
// vitest measures each converter; this file also writes bench-results/conversion.json with
// pages/s, MB/s, the RSS growth seen while each converter ran, and text fidelity (share of the
// source's words recovered in order), with the environment it ran in (docs/conversion.md's table
// is generated from it: `pnpm bench:report`).
import { join } from 'node:path';
import { benchEnvironment, writeBenchJson } from '@chunkflow/vitest-config/environment';
import { afterAll, bench, describe } from 'vitest';
import { type CorpusFile, docxFile, fidelity, htmlFile, pdfFile, wordsOf } from './corpus.ts';
import { type Extract, extractors } from './peers.ts';

interface Tally {
  format: string;
  converter: string;
  calls: number;
  runs: number;
  totalMs: number;
  rssBeforeMb: number;
  peakRssMb: number;
  fidelity?: number;
}

const started = benchEnvironment();
const files = { pdf: await pdfFile(), docx: await docxFile(), html: htmlFile() };
const tallies: Tally[] = [];
const MB = 1024 * 1024;
/** Calls of each converter whose time is not counted (modules load, code compiles). */
const WARMUPS = 3;
/**
 * Rounds of every converter of a format before any is measured: converters sharing a library
 * (mammoth) would otherwise leave its optimisation to whichever runs first (Chunkflow), whose
 * time would carry it; three warm-up calls each are too few for the engine to optimise it.
 */
const WARM_ROUNDS = 10;
/**
 * Timed calls of each converter. Each converter's calls run in a block, so a pause of the machine
 * lands on one of them: with 8, one slow PDF conversion moved its mean by a third between runs.
 */
const ITERATIONS = 30;

function measured(file: CorpusFile, converter: string, extract: Extract): () => Promise<void> {
  const tally: Tally = {
    format: file.format,
    converter,
    calls: 0,
    runs: 0,
    totalMs: 0,
    rssBeforeMb: process.memoryUsage.rss() / MB,
    peakRssMb: 0,
  };
  tallies.push(tally);
  return async () => {
    const started = performance.now();
    const text = await extract(file);
    const elapsed = performance.now() - started;
    tally.peakRssMb = Math.max(tally.peakRssMb, process.memoryUsage.rss() / MB);
    // The warm-ups (modules load, code compiles) give the fidelity, not the time.
    tally.fidelity ??= fidelity(file.words, wordsOf(text));
    tally.calls += 1;
    if (tally.calls <= WARMUPS) return;
    tally.totalMs += elapsed;
    tally.runs += 1;
  };
}

/** "PDF, 30 pages, 0.04 MB": what the tables call a file. */
function describeFile(file: CorpusFile): string {
  const size = `${(file.bytes.byteLength / MB).toFixed(2)} MB`;
  const extent = file.pages ? `${file.pages} pages` : `${Math.round(file.words.length / 1000)}k words`;
  return `${file.format.toUpperCase()}, ${extent}, ${size}`;
}

// Before any bench is defined: vitest runs no beforeAll hook ahead of benches.
for (const file of Object.values(files)) {
  for (let round = 0; round < WARM_ROUNDS; round++) {
    for (const extract of Object.values(extractors[file.format])) await extract(file);
  }
}

for (const file of Object.values(files)) {
  describe(`${file.format}: ${(file.bytes.byteLength / MB).toFixed(2)} MB${file.pages ? `, ${file.pages} pages` : ''}`, () => {
    for (const [converter, extract] of Object.entries(extractors[file.format])) {
      bench(converter, measured(file, converter, extract), {
        iterations: ITERATIONS,
        warmupIterations: WARMUPS,
        time: 0,
      });
    }
  });
}

afterAll(() => {
  const results = tallies
    .filter((tally) => tally.runs > 0)
    .map((tally) => {
      const file = files[tally.format as keyof typeof files];
      const seconds = tally.totalMs / tally.runs / 1000;
      return {
        format: tally.format,
        converter: tally.converter,
        meanMs: Math.round(seconds * 1000 * 10) / 10,
        mbPerSecond: Math.round((file.bytes.byteLength / MB / seconds) * 100) / 100,
        pagesPerSecond: file.pages ? Math.round(file.pages / seconds) : null,
        rssGrowthMb: Math.round(tally.peakRssMb - tally.rssBeforeMb),
        fidelity: tally.fidelity === undefined ? null : Math.round(tally.fidelity * 10_000) / 10_000,
      };
    });
  const described = Object.fromEntries(
    Object.values(files).map((file) => [
      file.format,
      {
        bytes: file.bytes.byteLength,
        pages: file.pages,
        words: file.words.length,
        description: describeFile(file),
      },
    ]),
  );
  writeBenchJson(join(import.meta.dirname, '..', 'bench-results', 'conversion.json'), started, {
    files: described,
    results,
  });
  console.table(results);
});
