// Runs the whole suite (format/lint, types, every package's tests) and ends with one plain line
// `N passed, N failed` summed from each package's vitest JSON report (see test-summary.mjs), so a
// run that executed nothing is visible as `0 passed`, and a failed hook or import as a failure.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { countsOf } from './test-summary.mjs';

const workspaceDirs = ['apps', 'packages'].flatMap((group) =>
  readdirSync(group, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(group, entry.name)),
);
const reportOf = (dir) => join(dir, '.test-results', 'vitest.json');
for (const dir of workspaceDirs) rmSync(reportOf(dir), { force: true });

const run = (args) => spawnSync('pnpm', args, { stdio: 'inherit' }).status ?? 1;
const lintStatus = run(['exec', 'biome', 'ci', '.']);
const turboStatus = run(['exec', 'turbo', 'run', 'typecheck', 'test', '--continue', '--concurrency=2']);
// The root scripts' tests, then the short benchmark check (README "Performance baseline").
rmSync(reportOf('scripts'), { force: true });
const scriptsStatus = run(['run', 'test:scripts']);
const benchStatus = run(['run', 'bench:quick']);

let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
const testedDirs = workspaceDirs.filter(
  (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).scripts?.test,
);
for (const dir of [...testedDirs, 'scripts']) {
  if (!existsSync(reportOf(dir))) {
    missing.push(dir);
    continue;
  }
  const counts = countsOf(JSON.parse(readFileSync(reportOf(dir), 'utf8')));
  passed += counts.passed;
  failed += counts.failed;
  skipped += counts.skipped;
}
// Unhandled errors fail a package's run without failing a test, and its report does not show them.
const testStatuses = [turboStatus, scriptsStatus];
if (failed === 0 && testStatuses.some((status) => status !== 0)) {
  console.error(
    'a test run failed outside its tests (unhandled error, or a type check): counted as 1 failure',
  );
  failed = 1;
}
if (missing.length > 0) console.error(`no test report from: ${missing.join(', ')}`);
if (lintStatus !== 0) console.error('format/lint check failed');
if (benchStatus !== 0) console.error('quick benchmark check failed (pnpm bench:quick)');
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
const statuses = [lintStatus, turboStatus, scriptsStatus, benchStatus];
process.exit(statuses.some((status) => status !== 0) || failed > 0 || missing.length > 0 ? 1 : 0);
