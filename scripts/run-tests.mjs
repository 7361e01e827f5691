// Runs the whole suite (format/lint, types, every package's tests) and ends with one plain line
// `N passed, N failed` summed from each package's vitest JSON report, so a run that executed
// nothing is visible as `0 passed`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

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

let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
for (const dir of workspaceDirs) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (!manifest.scripts?.test) continue;
  if (!existsSync(reportOf(dir))) {
    missing.push(dir);
    continue;
  }
  const report = JSON.parse(readFileSync(reportOf(dir), 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
}
if (missing.length > 0) console.error(`no test report from: ${missing.join(', ')}`);
if (lintStatus !== 0) console.error('format/lint check failed');
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(lintStatus !== 0 || turboStatus !== 0 || failed > 0 || missing.length > 0 ? 1 : 0);
