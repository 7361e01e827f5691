// Counts of vitest JSON reports for the closing line `N passed, N failed, N skipped`.
//   node scripts/test-summary.mjs packages/errors …   the line for these packages' last reports;
//                                                       exits 1 when it counts a failure or a report is missing
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Where a package's test script writes its vitest JSON report. */
export const reportOf = (dir) => join(dir, '.test-results', 'vitest.json');

/**
 * A test file that failed without failing a test (its `beforeAll` threw, or it did not import)
 * counts its unfinished tests as failed, or itself when it has none: vitest reports such tests as
 * pending, and this suite has no skips, so "skipped" would hide the failure.
 * @param {import('./test-summary.d.mts').VitestReport} report
 * @returns {import('./test-summary.d.mts').TestCounts}
 */
export function countsOf(report) {
  let failed = report.numFailedTests;
  let skipped = report.numPendingTests + report.numTodoTests;
  for (const file of report.testResults) {
    if (file.status !== 'failed') continue;
    const statuses = file.assertionResults.map((test) => test.status);
    const failedTests = statuses.filter((status) => status === 'failed').length;
    const unfinished = statuses.filter((status) => status !== 'passed' && status !== 'failed').length;
    if (unfinished > 0) failed += unfinished;
    else if (failedTests === 0) failed += 1; // nothing ran: the file did not import
    skipped -= unfinished;
  }
  return { passed: report.numPassedTests, failed, skipped };
}

/**
 * The failed tests of a report, as `file > full name` (a file that failed outside its tests, as
 * itself), so a run's log names what failed even when the test output scrolled away.
 * @param {import('./test-summary.d.mts').VitestReport} report
 * @param {string} root the path the file names are shown relative to
 * @returns {string[]}
 */
export function failedTestsOf(report, root) {
  return report.testResults.flatMap((file) => {
    const name = relative(root, file.name);
    const failed = file.assertionResults.filter((test) => test.status === 'failed');
    if (failed.length > 0) return failed.map((test) => `${name} > ${test.fullName}`);
    return file.status === 'failed' ? [`${name} (failed outside its tests)`] : [];
  });
}

/**
 * The whole suite has at least this many tests on each runtime it runs on: 864 on 2026-12-06 (813
 * in apps/ and packages/ by `vitest list`, 51 in scripts/), less 10% for tests merged or rewritten.
 * A run that reports fewer lost tests without failing one. Raise it when the suite grows.
 */
export const TEST_FLOOR = 780;

/**
 * Why a run must fail although no test failed: a workspace package without a `test` script (its
 * tests would silently not run), a package that wrote no report, or fewer tests than the floor.
 * @param {{ withoutTestScript: string[], withoutReport: string[], counted: number, floor: number }} run
 * @returns {string[]}
 */
export function shortfalls({ withoutTestScript, withoutReport, counted, floor }) {
  return [
    ...withoutTestScript.map((dir) => `${dir} has no "test" script: every workspace package runs its tests`),
    ...withoutReport.map((dir) => `no test report from ${dir}`),
    ...(counted < floor
      ? [`${counted} tests ran, fewer than the floor of ${floor} (scripts/test-summary.mjs)`]
      : []),
  ];
}

/**
 * The closing line's counts over these packages' reports, and the packages without one.
 * @param {string[]} dirs
 */
export function summaryOf(dirs) {
  const total = { passed: 0, failed: 0, skipped: 0 };
  const withoutReport = [];
  const failures = [];
  for (const dir of dirs) {
    if (!existsSync(reportOf(dir))) {
      withoutReport.push(dir);
      continue;
    }
    const report = JSON.parse(readFileSync(reportOf(dir), 'utf8'));
    const counts = countsOf(report);
    total.passed += counts.passed;
    total.failed += counts.failed;
    total.skipped += counts.skipped;
    failures.push(...failedTestsOf(report, process.cwd()));
  }
  return { ...total, withoutReport, failures };
}

export const summaryLine = ({ passed, failed, skipped }) =>
  `${passed} passed, ${failed} failed, ${skipped} skipped`;

/**
 * The closing line of a suite run once per runtime: the counts of all runs together, then each
 * runtime's own, e.g. `1720 passed, 0 failed, 0 skipped (node 20.20.2: 860 passed, …; node 24.22.3: …)`.
 * @param {{ runtime: string, counts: import('./test-summary.d.mts').TestCounts }[]} runs
 */
export function runtimesSummaryLine(runs) {
  const total = { passed: 0, failed: 0, skipped: 0 };
  for (const { counts } of runs) {
    total.passed += counts.passed;
    total.failed += counts.failed;
    total.skipped += counts.skipped;
  }
  const each = runs.map(({ runtime, counts }) => `${runtime}: ${summaryLine(counts)}`).join('; ');
  return `${summaryLine(total)} (${each})`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const summary = summaryOf(process.argv.slice(2));
  for (const dir of summary.withoutReport) console.error(`no test report from ${dir}`);
  for (const failure of summary.failures) console.error(`failed: ${failure}`);
  console.log(summaryLine(summary));
  process.exit(summary.failed > 0 || summary.withoutReport.length > 0 ? 1 : 0);
}
