import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { splice } from '../bench-report/markdown.ts';
import { partitionsSection } from '../bench-report/render-docs.ts';
import { readResults } from '../bench-report/results.ts';
import { capacitySection } from './render.ts';

/** docs/scaling.md as it should read, given the committed results. */
export function scalingDocument(root: string): string {
  const document = readFileSync(join(root, 'docs/scaling.md'), 'utf8');
  const results = readResults(root);
  return splice(
    splice(document, 'capacity', capacitySection(results)),
    'bench:partitions',
    partitionsSection(results),
  );
}
