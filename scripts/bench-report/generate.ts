import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scalingDocument } from '../capacity/generate.ts';
import { splice } from './markdown.ts';
import { performanceSection, readmeSection } from './render.ts';
import { conversionSection, exportSection, ingestSection } from './render-docs.ts';
import { readResults } from './results.ts';

/**
 * README.md, docs/performance.md, docs/retrieval.md, docs/ingestion.md, docs/conversion.md and docs/scaling.md as they
 * should read, given the committed results.
 */
export function generatedFiles(root: string): { path: string; content: string }[] {
  const results = readResults(root);
  const read = (path: string) => readFileSync(join(root, path), 'utf8');
  return [
    {
      path: 'README.md',
      content: splice(
        splice(read('README.md'), 'bench:figures', readmeSection(results)),
        'bench:ingest',
        ingestSection(results),
      ),
    },
    {
      path: 'docs/performance.md',
      content: splice(read('docs/performance.md'), 'bench:performance', performanceSection(results)),
    },
    {
      path: 'docs/retrieval.md',
      content: splice(read('docs/retrieval.md'), 'bench:export', exportSection(results)),
    },
    {
      path: 'docs/ingestion.md',
      content: splice(read('docs/ingestion.md'), 'bench:ingest', ingestSection(results)),
    },
    {
      path: 'docs/conversion.md',
      content: splice(read('docs/conversion.md'), 'bench:conversion', conversionSection(results)),
    },
    // The capacity model divides workloads by these results: republished results recompute it.
    { path: 'docs/scaling.md', content: scalingDocument(root) },
  ];
}
