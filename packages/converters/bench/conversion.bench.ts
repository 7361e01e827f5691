// Conversion throughput and fidelity, Chunkflow beside what a TypeScript user would pick instead
// (LangChain's loaders, LlamaIndex's readers), on the same generated PDF, DOCX and HTML in one run.
// vitest measures each converter; this file also writes bench-results/conversion.json with
// pages/s, MB/s, the RSS growth seen while each converter ran, and text fidelity (share of the
// source's words recovered in order).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, bench, describe } from 'vitest';
import { type CorpusFile, docxFile, fidelity, htmlFile, pdfFile, wordsOf } from './corpus.ts';
import { type Extract, extractors } from './peers.ts';

interface Tally {
  format: string;
  converter: string;
  runs: number;
  totalMs: number;
  rssBeforeMb: number;
  peakRssMb: number;
  fidelity?: number;
}

const files = { pdf: await pdfFile(), docx: await docxFile(), html: htmlFile() };
const tallies: Tally[] = [];
const MB = 1024 * 1024;

function measured(file: CorpusFile, converter: string, extract: Extract): () => Promise<void> {
  const tally: Tally = {
    format: file.format,
    converter,
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
    // The first call is the warm-up (modules load): it gives the fidelity, not the time.
    if (tally.fidelity === undefined) {
      tally.fidelity = fidelity(file.words, wordsOf(text));
      return;
    }
    tally.totalMs += elapsed;
    tally.runs += 1;
  };
}

for (const file of Object.values(files)) {
  describe(`${file.format}: ${(file.bytes.byteLength / MB).toFixed(2)} MB${file.pages ? `, ${file.pages} pages` : ''}`, () => {
    for (const [converter, extract] of Object.entries(extractors[file.format])) {
      bench(converter, measured(file, converter, extract), { iterations: 8, warmupIterations: 1, time: 0 });
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
  const directory = join(import.meta.dirname, '..', 'bench-results');
  mkdirSync(directory, { recursive: true });
  writeFileSync(
    join(directory, 'conversion.json'),
    `${JSON.stringify({ node: process.version, date: new Date().toISOString(), results }, null, 2)}\n`,
  );
  console.table(results);
});
