// The gates' own check: each known-bad change must turn its gate red.
//   pnpm mutation-check                 every mutation in scripts/mutation-check/mutations/
//   pnpm mutation-check --only X5-… …   only these ids
// A mutation is two files with the same stem, its id:
//   <id>.patch  a `git diff` against HEAD that breaks something on purpose
//   <id>.json   {"finding": "H4", "description": "what the patch breaks",
//                "command": "shell command, run at the repository root, that must FAIL with the patch"}
// In one scratch worktree of HEAD (set up like `npm test` does: `scripts/chunkflow.sh setup`), each
// command must first PASS without its patch (else the mutation proves nothing), then FAIL with it.
// Prints a table and exits 1 when a mutation survived or could not be checked. Uncommitted changes
// are not in HEAD, so commit before checking them.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

interface Mutation {
  id: string;
  finding: string;
  description: string;
  command: string;
}

interface Outcome {
  mutation: Mutation;
  baselinePasses: boolean;
  mutatedFails?: boolean;
  patchApplies?: boolean;
  seconds: number;
}

const root = join(import.meta.dirname, '../..');
const mutationsDir = join(import.meta.dirname, 'mutations');
const { values, positionals } = parseArgs({
  options: { only: { type: 'boolean' } },
  allowPositionals: true,
});
// `--only a b c`: the ids after it; without it, every mutation.
const only = values.only ? positionals : undefined;

function mutations(): Mutation[] {
  const ids = readdirSync(mutationsDir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .filter((id) => only === undefined || only.includes(id))
    .sort();
  const unknown = (only ?? []).filter((id) => !ids.includes(id));
  if (unknown.length > 0) throw new Error(`no mutation named ${unknown.join(', ')}`);
  return ids.map((id) => ({ id, ...JSON.parse(readFileSync(join(mutationsDir, `${id}.json`), 'utf8')) }));
}

const scratch = mkdtempSync(join(tmpdir(), 'mutation-check-'));
const logs = join(scratch, 'logs');
const tree = join(scratch, 'tree');
mkdirSync(logs);

/** Runs `command` in the scratch tree, its output to a log file; true when it exits 0. */
function passes(command: string, log: string): boolean {
  const result = spawnSync('bash', ['-c', `${command} > ${JSON.stringify(join(logs, log))} 2>&1`], {
    cwd: tree,
    stdio: 'inherit',
  });
  return result.status === 0;
}

function git(...args: string[]): void {
  const result = spawnSync('git', args, { cwd: tree, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
}

/** Back to HEAD, keeping ignored files (node_modules, generated code, turbo's cache). */
const reset = () => {
  git('checkout', '--quiet', '--', '.');
  git('clean', '--quiet', '-fd');
};

function check(mutation: Mutation, baselines: Map<string, boolean>): Outcome {
  const started = performance.now();
  const seconds = () => Math.round((performance.now() - started) / 100) / 10;
  reset();
  // Mutations sharing a command share its unmutated run.
  const baselinePasses =
    baselines.get(mutation.command) ?? passes(mutation.command, `${mutation.id}.baseline.log`);
  baselines.set(mutation.command, baselinePasses);
  if (!baselinePasses) return { mutation, baselinePasses, seconds: seconds() };
  const patch = join(mutationsDir, `${mutation.id}.patch`);
  const applied = spawnSync('git', ['apply', patch], { cwd: tree, encoding: 'utf8' });
  if (applied.status !== 0) return { mutation, baselinePasses, patchApplies: false, seconds: seconds() };
  const mutatedFails = !passes(mutation.command, `${mutation.id}.mutated.log`);
  reset();
  return { mutation, baselinePasses, patchApplies: true, mutatedFails, seconds: seconds() };
}

const verdictOf = (outcome: Outcome) =>
  !outcome.baselinePasses
    ? 'UNCHECKED: fails without the patch'
    : outcome.patchApplies === false
      ? 'UNCHECKED: patch does not apply'
      : outcome.mutatedFails
        ? 'caught'
        : 'SURVIVED';

function printTable(outcomes: Outcome[]): void {
  const rows = [
    ['id', 'finding', 'baseline passes', 'mutated fails', 'seconds', 'verdict'],
    ...outcomes.map((outcome) => [
      outcome.mutation.id,
      outcome.mutation.finding,
      outcome.baselinePasses ? 'yes' : 'NO',
      outcome.mutatedFails === undefined ? '—' : outcome.mutatedFails ? 'yes' : 'NO',
      String(outcome.seconds),
      verdictOf(outcome),
    ]),
  ];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  for (const row of rows)
    console.log(
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    );
}

const selected = mutations();
const setupStarted = performance.now();
try {
  spawnSync('git', ['worktree', 'add', '--quiet', '--detach', tree, 'HEAD'], { cwd: root, stdio: 'inherit' });
  if (!passes('bash scripts/chunkflow.sh setup', 'setup.log'))
    throw new Error(`setup failed: ${join(logs, 'setup.log')}`);
  console.log(
    `scratch worktree of HEAD set up in ${Math.round((performance.now() - setupStarted) / 1000)} s`,
  );
  const baselines = new Map<string, boolean>();
  const outcomes = selected.map((mutation) => {
    const outcome = check(mutation, baselines);
    console.log(`${mutation.id}: ${verdictOf(outcome)} (${outcome.seconds} s)`);
    return outcome;
  });
  printTable(outcomes);
  console.log(`command output: ${logs}`);
  process.exitCode = outcomes.every((outcome) => verdictOf(outcome) === 'caught') ? 0 : 1;
} finally {
  spawnSync('git', ['worktree', 'remove', '--force', tree], { cwd: root, stdio: 'inherit' });
}
