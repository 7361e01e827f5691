// Compares benchmark ratios with the committed baseline (README "Performance baseline").
//   pnpm bench && pnpm bench:check       every ratio in <package>/bench-results/*.json vs bench/baseline.json;
//                                        exits 1 when one lost more than the tolerance
//   pnpm bench:check --tolerance 0.4     a wider tolerance (default: the baseline's, 25%)
//   pnpm bench:check path/to/x.json …    check only these results files (and their part of the baseline)
//   pnpm bench:baseline                  record bench/baseline.json from the current results
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { type Baseline, baselineFrom, compareRatios, restrictTo } from './bench-check/compare.ts';
import { type Ratio, ratiosOf } from './bench-check/ratios.ts';
import { formatComparisons, summarise } from './bench-check/report.ts';

const root = join(import.meta.dirname, '..');
const { values, positionals } = parseArgs({
  options: {
    tolerance: { type: 'string' },
    baseline: { type: 'string', default: join(root, 'bench/baseline.json') },
    record: { type: 'boolean', default: false },
  },
  allowPositionals: true,
});

/** Every results file the workspace's benches wrote. */
function resultsFiles(): string[] {
  return ['apps', 'packages'].flatMap((group) =>
    readdirSync(join(root, group)).flatMap((name) => {
      const dir = join(root, group, name, 'bench-results');
      return existsSync(dir)
        ? readdirSync(dir)
            .filter((file) => file.endsWith('.json'))
            .map((file) => join(dir, file))
        : [];
    }),
  );
}

const files = positionals.length > 0 ? positionals : resultsFiles();
const ratios: Ratio[] = files.flatMap((file) =>
  ratiosOf(basename(file, '.json'), JSON.parse(readFileSync(file, 'utf8'))),
);
const previous = existsSync(values.baseline)
  ? (JSON.parse(readFileSync(values.baseline, 'utf8')) as Baseline)
  : undefined;

if (values.record) {
  const machine = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model,
    cores: cpus().length,
  };
  writeFileSync(values.baseline, `${JSON.stringify(baselineFrom(ratios, previous, machine), null, 2)}\n`);
  console.log(`recorded ${ratios.length} ratios from ${files.length} results files into ${values.baseline}`);
  process.exit(0);
}
if (!previous) {
  console.error(`no baseline at ${values.baseline}: run the benches, then pnpm bench:baseline`);
  process.exit(2);
}
const tolerance = values.tolerance === undefined ? previous.tolerance : Number(values.tolerance);
if (!(tolerance >= 0 && tolerance < 1)) {
  console.error(`--tolerance must be a fraction in [0, 1), got ${values.tolerance}`);
  process.exit(2);
}
// Files named on the command line are checked alone: the rest of the baseline was not run.
const scope =
  positionals.length > 0
    ? restrictTo(previous, new Set(files.map((file) => basename(file, '.json'))))
    : previous;
const comparisons = compareRatios(scope, ratios, tolerance);
for (const line of formatComparisons(comparisons)) console.log(line);
console.log(summarise(comparisons));
process.exit(comparisons.some((row) => row.verdict === 'regressed') ? 1 : 0);
