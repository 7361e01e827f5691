/** The fields of vitest's JSON report that the closing line reads. */
export interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: { name: string; status: string; assertionResults: { status: string; fullName: string }[] }[];
}

export interface TestCounts {
  passed: number;
  failed: number;
  skipped: number;
}

export function countsOf(report: VitestReport): TestCounts;

export const TEST_FLOOR: number;

export function shortfalls(run: {
  withoutTestScript: string[];
  withoutReport: string[];
  counted: number;
  floor: number;
}): string[];

export const reportOf: (dir: string) => string;

export function failedTestsOf(report: VitestReport, root: string): string[];

export function summaryOf(dirs: string[]): TestCounts & { withoutReport: string[]; failures: string[] };

export function summaryLine(counts: TestCounts): string;

export function runtimesSummaryLine(runs: { runtime: string; counts: TestCounts }[]): string;
