import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { markdownTable } from '../load/markdown-table.ts';
import { type SuiteResult, TARGETS } from './suite.ts';

const seconds = (ms: number | undefined) => (ms === undefined ? '—' : `${(ms / 1000).toFixed(2)} s`);
const millis = (ms: number | undefined) => (ms === undefined ? '—' : `${Math.round(ms)} ms`);

/** One row per attack class, then the verdict on the server as a whole. */
export function resultTable(suite: SuiteResult): string {
  const rows = suite.results.map((result) => [
    result.name,
    result.finding,
    result.outcome.passed ? 'pass' : 'FAIL',
    result.outcome.answer,
    seconds(result.outcome.answerMs ?? result.ms),
    millis(result.cost.worstHealthzMs),
    millis(result.cost.eventLoopMaxMs),
    `${Math.round(result.cost.rssGrowthMb)} MB`,
    result.cost.childRssGrowthMb === null ? '—' : `${Math.round(result.cost.childRssGrowthMb)} MB`,
    result.withinTargets ? 'yes' : 'no',
  ]);
  const table = markdownTable(
    [
      { title: 'class' },
      { title: 'finding' },
      { title: 'outcome' },
      { title: 'status/code' },
      { title: 'time', align: 'right' },
      { title: 'worst /healthz', align: 'right' },
      { title: 'event-loop max', align: 'right' },
      { title: 'RSS growth', align: 'right' },
      { title: 'child processes RSS growth', align: 'right' },
      { title: 'within targets' },
    ],
    rows,
  );
  const failed = suite.results.filter((result) => !result.outcome.passed);
  const missed = suite.results.filter((result) => !result.withinTargets);
  const details = suite.results
    .filter((result) => !result.outcome.passed || result.outcome.detail)
    .map(
      (result) =>
        `- ${result.name}: expected ${result.outcome.expected}${result.outcome.detail ? `; ${result.outcome.detail}` : ''}`,
    );
  return [
    `Hostile suite, ${suite.mode} mode, ${suite.backend} backend (${suite.startedAt})`,
    '',
    table,
    '',
    ...details,
    '',
    `Server alive after the attacks: ${suite.alive ? 'yes' : 'NO'}`,
    `Data intact: ${suite.dataLost.length === 0 ? 'yes' : `NO (${suite.dataLost.join('; ')})`}`,
    `API keys in the server log: ${suite.keysInLog}`,
    `Outcomes: ${suite.results.length - failed.length} of ${suite.results.length} as required` +
      (failed.length ? ` (failed: ${failed.map((result) => result.name).join(', ')})` : ''),
    `Targets (/healthz ≤ ${TARGETS.worstHealthzMs} ms, RSS growth ≤ ${TARGETS.rssGrowthMb} MB): ` +
      `${suite.results.length - missed.length} of ${suite.results.length} met` +
      (missed.length ? ` (missed: ${missed.map((result) => result.name).join(', ')})` : ''),
  ].join('\n');
}

/** True when every outcome is as required and the server survived with its data and no key logged. */
export function suitePassed(suite: SuiteResult): boolean {
  return (
    suite.alive &&
    suite.dataLost.length === 0 &&
    suite.keysInLog === 0 &&
    suite.results.every((result) => result.outcome.passed)
  );
}

export async function writeResults(path: string, suite: SuiteResult): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(
    path,
    `${JSON.stringify({ ...suite, targets: TARGETS, passed: suitePassed(suite) }, null, 2)}\n`,
  );
}
