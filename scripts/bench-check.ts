// Compares benchmark ratios with the committed baseline (docs/performance.md, "Performance baseline").
//   pnpm bench && pnpm bench:check       every ratio in <package>/bench-results/*.json (vitest bench
//                                        JSON and the scripts' JSON) vs its part of
//                                        bench/baseline.json; exits 1 when one lost more than its
//                                        tolerance, or is missing, unreadable (errored task, NaN), or
//                                        a results file holds no ratios
//   pnpm bench:check --tolerance 0.4     a wider tolerance for ratios without their own (default 25%)
//   pnpm bench:check path/to/x.json …    check only these results files (and their part of the baseline)
//   pnpm bench:baseline                  record bench/baseline.json from the current results; refuses
//                                        (exit 1, nothing written) to lower a ratio by more than its
//                                        tolerance, or to record from unreadable results
//   pnpm bench:baseline --accept-drop "<why>"
//                                        record such drops anyway; the reason, date and old value are
//                                        kept beside each lowered ratio and printed by every check
//   pnpm bench:check --spread runs/*/mempool.json [--note "<text>"] [--keep-values]
//                                        re-record these ratios from repeated runs (one directory per
//                                        run): spread, the tolerance derived from it, and the median as
//                                        value unless the ratchet refuses it (then the old value stays)
//                                        or --keep-values keeps every recorded value
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type Acceptance,
  type Baseline,
  baselineFrom,
  compareRatios,
  refusals,
  restrictTo,
  sourceOf,
  withSpreads,
} from './bench-check/compare.ts';
import { type Reading, ratiosOf } from './bench-check/ratios.ts';
import { formatAcceptedDrops, formatComparisons, formatDrop, summarise } from './bench-check/report.ts';

const root = join(import.meta.dirname, '..');
const { values, positionals } = parseArgs({
  options: {
    tolerance: { type: 'string' },
    baseline: { type: 'string', default: join(root, 'bench/baseline.json') },
    record: { type: 'boolean', default: false },
    spread: { type: 'boolean', default: false },
    'accept-drop': { type: 'string' },
    note: { type: 'string' },
    'keep-values': { type: 'boolean', default: false },
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

/** One results file's ratios; a file that is not JSON gives none, and says so. */
function readingOf(file: string): Reading {
  const source = basename(file, '.json');
  try {
    return ratiosOf(source, JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    return { ratios: [], unreadable: [{ name: source, reason: `cannot read ${file}: ${String(error)}` }] };
  }
}
const readings = files.map(readingOf);
const ratios = readings.flatMap((one) => one.ratios);
const unreadable = readings.flatMap((one) => one.unreadable);
const previous = existsSync(values.baseline)
  ? (JSON.parse(readFileSync(values.baseline, 'utf8')) as Baseline)
  : undefined;
const reason = values['accept-drop']?.trim();
if (values['accept-drop'] !== undefined && !reason) {
  console.error('--accept-drop needs the reason the ratios fell');
  process.exit(2);
}
const acceptance: Acceptance | undefined = reason ? { reason, date: new Date().toISOString() } : undefined;
if (values.record) {
  if (unreadable.length > 0) {
    for (const row of unreadable) console.error(`unreadable ${row.name}: ${row.reason}`);
    console.error('not recorded: every ratio must be readable');
    process.exit(1);
  }
  const machine = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model,
    cores: cpus().length,
  };
  const { baseline, refused } = baselineFrom(ratios, previous, machine, acceptance);
  if (refused.length > 0) {
    for (const drop of refused) console.error(`refused ${formatDrop(drop)}`);
    console.error('not recorded: explain the drop with --accept-drop "<why>" (kept in the baseline)');
    process.exit(1);
  }
  writeFileSync(values.baseline, `${JSON.stringify(baseline, null, 2)}\n`);
  console.log(`recorded ${ratios.length} ratios from ${files.length} results files into ${values.baseline}`);
  process.exit(0);
}
if (values.spread) {
  if (!previous || unreadable.length > 0) {
    console.error(previous ? unreadable : `no baseline at ${values.baseline}`);
    process.exit(2);
  }
  const measured = {
    measured: `${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model}`,
    ...(values.note === undefined ? {} : { note: values.note }),
  };
  const runs = readings.map((one) => one.ratios);
  const { baseline, refused } = withSpreads(previous, runs, measured, {
    ...(acceptance === undefined ? {} : { acceptance }),
    keepValues: values['keep-values'],
  });
  writeFileSync(values.baseline, `${JSON.stringify(baseline, null, 2)}\n`);
  for (const drop of refused)
    console.log(`median past the tolerance, baseline value kept: ${formatDrop(drop)}`);
  if (values['keep-values'])
    console.log('every recorded value kept (--keep-values): spread and tolerance only');
  console.log(`recorded the spread of ${ratios.length / files.length} ratios over ${files.length} runs`);
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
// Each results file is checked against its own part of the baseline; benches not run are listed.
const sources = new Set(files.map((file) => basename(file, '.json')));
const scope = restrictTo(previous, sources);
const notRun = [...new Set(Object.keys(previous.ratios).map(sourceOf))].filter(
  (source) => !sources.has(source),
);
const comparisons = compareRatios(scope, ratios, tolerance);
for (const line of formatComparisons(comparisons)) console.log(line);
console.log(summarise(comparisons));
if (notRun.length > 0) console.log(`not run, so not checked: ${notRun.join(', ')}`);
for (const line of formatAcceptedDrops(scope)) console.log(line);
const refused = refusals(scope, comparisons, unreadable);
for (const reason of refused) console.error(`FAILED ${reason}`);
process.exit(comparisons.some((row) => row.verdict === 'regressed') || refused.length > 0 ? 1 : 0);
