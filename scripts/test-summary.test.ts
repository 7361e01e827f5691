import { describe, expect, it } from 'vitest';
import {
  countsOf,
  failedTestsOf,
  runtimesSummaryLine,
  shortfalls,
  type VitestReport,
} from './test-summary.mjs';

const test = (status: string, fullName = `a ${status} test`) => ({ status, fullName });
const passedFile = {
  name: '/repo/a.test.ts',
  status: 'passed',
  assertionResults: [test('passed'), test('passed')],
};

function report(testResults: VitestReport['testResults']): VitestReport {
  const all = testResults.flatMap((file) => file.assertionResults.map((test) => test.status));
  return {
    numPassedTests: all.filter((status) => status === 'passed').length,
    numFailedTests: all.filter((status) => status === 'failed').length,
    numPendingTests: all.filter((status) => status === 'pending' || status === 'skipped').length,
    numTodoTests: all.filter((status) => status === 'todo').length,
    testResults,
  };
}

describe('the closing line counts', () => {
  it('counts passed and failed tests as vitest does', () => {
    const failing = {
      name: '/repo/b.test.ts',
      status: 'failed',
      assertionResults: [test('passed'), test('failed')],
    };
    expect(countsOf(report([passedFile, failing]))).toEqual({ passed: 3, failed: 1, skipped: 0 });
  });

  it('counts the tests of a file whose beforeAll threw as failed, not skipped', () => {
    const hookFailed = {
      name: '/repo/b.test.ts',
      status: 'failed',
      assertionResults: [test('pending'), test('skipped')],
    };
    expect(countsOf(report([passedFile, hookFailed]))).toEqual({ passed: 2, failed: 2, skipped: 0 });
  });

  it('counts a file that failed to import, with no tests, as one failure', () => {
    const notImported = { name: '/repo/c.test.ts', status: 'failed', assertionResults: [] };
    expect(countsOf(report([passedFile, notImported]))).toEqual({ passed: 2, failed: 1, skipped: 0 });
  });

  it('leaves skipped tests of a file that passed as skipped', () => {
    const withSkip = {
      name: '/repo/d.test.ts',
      status: 'passed',
      assertionResults: [test('passed'), test('skipped')],
    };
    expect(countsOf(report([withSkip]))).toEqual({ passed: 1, failed: 0, skipped: 1 });
  });
});

describe('the failed tests are named', () => {
  it('names each failed test with its file, and a file that failed outside its tests', () => {
    const failing = {
      name: '/repo/b.test.ts',
      status: 'failed',
      assertionResults: [test('failed', 'x > y')],
    };
    const notImported = { name: '/repo/c.test.ts', status: 'failed', assertionResults: [] };
    expect(failedTestsOf(report([passedFile, failing, notImported]), '/repo')).toEqual([
      'b.test.ts > x > y',
      'c.test.ts (failed outside its tests)',
    ]);
  });
});

describe('a run that lost tests fails', () => {
  const complete = { withoutTestScript: [], withoutReport: [], counted: 700, floor: 600 };

  it('passes a run with every package reporting and tests above the floor', () => {
    expect(shortfalls(complete)).toEqual([]);
  });

  it('fails a package without a test script, a package without a report, and too few tests', () => {
    expect(shortfalls({ ...complete, withoutTestScript: ['packages/errors'] })).toEqual([
      'packages/errors has no "test" script: every workspace package runs its tests',
    ]);
    expect(shortfalls({ ...complete, withoutReport: ['apps/web'] })).toEqual([
      'no test report from apps/web',
    ]);
    expect(shortfalls({ ...complete, counted: 599 })).toEqual([
      '599 tests ran, fewer than the floor of 600 (scripts/test-summary.mjs)',
    ]);
  });
});

describe('the closing line of a suite run on two runtimes', () => {
  it('sums both runs, then says what each runtime passed, failed and skipped', () => {
    const line = runtimesSummaryLine([
      { runtime: 'node 20.20.2', counts: { passed: 860, failed: 0, skipped: 1 } },
      { runtime: 'node 24.22.3', counts: { passed: 858, failed: 2, skipped: 1 } },
    ]);
    expect(line).toBe(
      '1718 passed, 2 failed, 2 skipped (node 20.20.2: 860 passed, 0 failed, 1 skipped; ' +
        'node 24.22.3: 858 passed, 2 failed, 1 skipped)',
    );
  });

  it('starts with the plain counts CI reads, also for one runtime', () => {
    const line = runtimesSummaryLine([
      { runtime: 'node 24.22.3', counts: { passed: 5, failed: 0, skipped: 0 } },
    ]);
    expect(line).toBe('5 passed, 0 failed, 0 skipped (node 24.22.3: 5 passed, 0 failed, 0 skipped)');
  });
});
