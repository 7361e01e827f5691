// Runs the whole suite and ends with one plain line `N passed, N failed, N skipped (…per runtime…)`
// summed from each package's vitest JSON report (see test-summary.mjs), so a run that executed
// nothing is visible as `0 passed`, and a failed hook or import as a failure.
// The tests run twice: on the machine's Node and on Node 24 (fetched once by `chunkflow.sh node24`).
// What does not depend on the runtime runs once: Biome and TypeScript 7 are native binaries, the
// root scripts' tests check files, and the quick benchmark check compares against a baseline
// recorded on the machine's Node.
// It also fails when a workspace package has no test script, wrote no report, or a runtime's run
// holds fewer tests than the floor (TEST_FLOOR), so tests cannot drop out of the run unnoticed.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { reportOf, runtimesSummaryLine, shortfalls, summaryOf, TEST_FLOOR } from './test-summary.mjs';

const workspaceDirs = ['apps', 'packages'].flatMap((group) =>
  readdirSync(group, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(group, entry.name)),
);
const reportDirs = [...workspaceDirs, 'scripts'];

/** Runs a command with its output shown, printing how long it took; returns its exit status. */
function run(command, args, env = process.env) {
  const started = performance.now();
  const status = spawnSync(command, args, { stdio: 'inherit', env }).status ?? 1;
  const seconds = Math.round((performance.now() - started) / 1000);
  console.error(`chunkflow test: \`${[command, ...args].join(' ')}\` took ${seconds} s (exit ${status})`);
  return status;
}

/** The environment in which `node`, and so pnpm, turbo's tasks and vitest, is this binary. */
const envOf = (node) => ({
  ...process.env,
  PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ''}`,
  NODE: node,
  npm_node_execpath: node,
});

const versionOf = (node) =>
  spawnSync('pnpm', ['exec', 'node', '--version'], { env: envOf(node), encoding: 'utf8' }).stdout.trim();

const node24 = spawnSync('bash', ['scripts/chunkflow.sh', 'node24'], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
}).stdout.trim();
const runtimes = [process.execPath, ...(node24 ? [node24] : [])]
  .map((node) => ({ node, version: versionOf(node) }))
  .filter((runtime, i, all) => all.findIndex((other) => other.version === runtime.version) === i);
const problems = node24 ? [] : ['Node 24 could not be fetched (bash scripts/chunkflow.sh node24)'];
for (const { node, version } of runtimes) if (!version) problems.push(`pnpm cannot run ${node}`);

const lintStatus = run('pnpm', ['exec', 'biome', 'ci', '.']);
// The short benchmark check (docs/performance.md, "Performance baseline").
const benchStatus = run('pnpm', ['run', 'bench:quick']);

const withoutTestScript = workspaceDirs.filter(
  (dir) => !JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).scripts?.test,
);
const runs = runtimes.map(({ node, version }, i) => {
  const runtime = `node ${version.replace(/^v/, '')}`;
  const first = i === 0;
  for (const dir of reportDirs) rmSync(reportOf(dir), { force: true });
  console.error(`chunkflow test: the tests on ${runtime} (${node})`);
  const env = envOf(node);
  const statuses = [
    // Types once, beside the first runtime's tests.
    run(
      'pnpm',
      ['exec', 'turbo', 'run', ...(first ? ['typecheck'] : []), 'test', '--continue', '--concurrency=2'],
      env,
    ),
    // The root scripts' tests, once: they check files (regexes, imports, patches, turbo's hashes, the
    // bench and summary arithmetic), nothing that differs between runtimes.
    ...(first ? [run('pnpm', ['run', 'test:scripts'], env)] : []),
  ];
  const summary = summaryOf(first ? reportDirs : workspaceDirs);
  const missed = shortfalls({
    withoutTestScript,
    withoutReport: summary.withoutReport.filter((dir) => !withoutTestScript.includes(dir)),
    counted: summary.passed + summary.failed + summary.skipped,
    floor: TEST_FLOOR,
  });
  problems.push(...missed.map((reason) => `${runtime}: ${reason}`));
  problems.push(...summary.failures.map((failure) => `${runtime}: failed: ${failure}`));
  // Unhandled errors fail a package's run without failing a test, and its report does not show them.
  if (summary.failed === 0 && statuses.some((status) => status !== 0)) {
    problems.push(
      `${runtime}: a test run failed outside its tests (unhandled error, or a type check): counted as 1 failure`,
    );
    summary.failed = 1;
  }
  return { runtime, counts: summary };
});

if (lintStatus !== 0) problems.push('format/lint check failed');
if (benchStatus !== 0) problems.push('quick benchmark check failed (pnpm bench:quick)');
for (const problem of problems) console.error(problem);
console.log(runtimesSummaryLine(runs));
const failed = runs.some(({ counts }) => counts.failed > 0);
process.exit(problems.length > 0 || failed ? 1 : 0);
