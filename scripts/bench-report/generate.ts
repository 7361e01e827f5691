import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scalingDocument } from '../capacity/generate.ts';
import { splice } from './markdown.ts';
import { performanceSection, readmeSection } from './render.ts';
import { readResults } from './results.ts';

/** README.md, docs/performance.md and docs/scaling.md as they should read, given the committed results. */
export function generatedFiles(root: string): { path: string; content: string }[] {
  const results = readResults(root);
  const read = (path: string) => readFileSync(join(root, path), 'utf8');
  return [
    { path: 'README.md', content: splice(read('README.md'), 'bench:figures', readmeSection(results)) },
    {
      path: 'docs/performance.md',
      content: splice(read('docs/performance.md'), 'bench:performance', performanceSection(results)),
    },
    // The capacity model divides workloads by these results: republished results recompute it.
    { path: 'docs/scaling.md', content: scalingDocument(root) },
  ];
}
