// Regenerates docs/scaling.md's capacity section from the committed benchmark results
// (bench/results/node-<major>/, see docs/performance.md) and the workloads of
// scripts/capacity/model.ts.
//   pnpm capacity
// scripts/capacity.test.ts fails when the committed section differs.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scalingDocument } from './capacity/generate.ts';

const root = join(import.meta.dirname, '..');
const path = join(root, 'docs/scaling.md');
const content = scalingDocument(root);
if (readFileSync(path, 'utf8') === content) console.log('docs/scaling.md: unchanged');
else {
  writeFileSync(path, content);
  console.log('docs/scaling.md: regenerated');
}
