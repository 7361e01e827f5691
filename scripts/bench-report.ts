// Generates README's figures table and docs/performance.md's benchmark section from the committed
// results in bench/results/ (docs/development.md, "Benchmarks").
//   pnpm bench:report             rewrite both from bench/results/
//   pnpm bench:report --publish   first copy every package's latest bench-results/*.json into
//                                 bench/results/node-<major>/ (the runtime each file recorded)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generatedFiles } from './bench-report/generate.ts';
import { publish } from './bench-report/results.ts';

const root = join(import.meta.dirname, '..');
const { values } = parseArgs({ options: { publish: { type: 'boolean', default: false } } });
if (values.publish) {
  const { copied, skipped } = publish(root);
  for (const file of copied) console.log(`published bench/results/${file}`);
  for (const file of skipped) console.error(`skipped ${file}: it records no environment (an older run)`);
}
for (const { path, content } of generatedFiles(root)) {
  if (readFileSync(join(root, path), 'utf8') === content) console.log(`${path}: unchanged`);
  else {
    writeFileSync(join(root, path), content);
    console.log(`${path}: regenerated`);
  }
}
