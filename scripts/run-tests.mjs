// Runs the whole suite (format/lint, types, every package's tests) and ends with one plain line
// `N passed, N failed` summed from each package's vitest JSON report (see test-summary.mjs), so a
// run that executed nothing is visible as `0 passed`, and a failed hook or import as a failure.
// It also fails when a workspace package has no test script, wrote no report, or the suite holds
// fewer tests than its floor (TEST_FLOOR), so tests cannot drop out of the run unnoticed.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { reportOf, shortfalls, summaryLine, summaryOf, TEST_FLOOR } from './test-summary.mjs';

const workspaceDirs = ['apps', 'packages'].flatMap((group) =>
  readdirSync(group, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(group, entry.name)),
);
for (const dir of [...workspaceDirs, 'scripts']) rmSync(reportOf(dir), { force: true });

const run = (args) => spawnSync('pnpm', args, { stdio: 'inherit' }).status ?? 1;
const lintStatus = run(['exec', 'biome', 'ci', '.']);
const turboStatus = run(['exec', 'turbo', 'run', 'typecheck', 'test', '--continue', '--concurrency=2']);
// The root scripts' tests, then the short benchmark check (docs/performance.md, "Performance baseline").
const scriptsStatus = run(['run', 'test:scripts']);
const benchStatus = run(['run', 'bench:quick']);

const withoutTestScript = workspaceDirs.filter(
  (dir) => !JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).scripts?.test,
);
const summary = summaryOf([...workspaceDirs, 'scripts']);
const counted = summary.passed + summary.failed + summary.skipped;
const missed = shortfalls({
  withoutTestScript,
  withoutReport: summary.withoutReport.filter((dir) => !withoutTestScript.includes(dir)),
  counted,
  floor: TEST_FLOOR,
});
// Unhandled errors fail a package's run without failing a test, and its report does not show them.
const testStatuses = [turboStatus, scriptsStatus];
if (summary.failed === 0 && testStatuses.some((status) => status !== 0)) {
  console.error(
    'a test run failed outside its tests (unhandled error, or a type check): counted as 1 failure',
  );
  summary.failed = 1;
}
for (const reason of missed) console.error(reason);
if (lintStatus !== 0) console.error('format/lint check failed');
if (benchStatus !== 0) console.error('quick benchmark check failed (pnpm bench:quick)');
console.log(summaryLine(summary));
const statuses = [lintStatus, turboStatus, scriptsStatus, benchStatus];
process.exit(statuses.some((status) => status !== 0) || summary.failed > 0 || missed.length > 0 ? 1 : 0);
