// Counts of one vitest JSON report for the closing line `N passed, N failed, N skipped`.

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
