// Turbo replays a cached task whose hash did not change, so a type check's hash must change whenever
// any file it reads changes — its own package's and those of every workspace package it imports,
// transitively (turbo.json: typecheck depends on the `transit` chain). Checked on turbo's own hashes
// (`--dry=json`) in a scratch copy of the tree, one probe file per workspace package.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const scratch = mkdtempSync(join(tmpdir(), 'turbo-cache-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const tracked = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
  cwd: root,
  encoding: 'utf8',
})
  .split('\0')
  .filter((file) => file !== '');
for (const file of tracked) cpSync(join(root, file), join(scratch, file));

interface Workspace {
  name: string;
  dir: string;
  imports: string[];
}
const workspaces: Workspace[] = ['apps', 'packages', 'tooling'].flatMap((group) =>
  readdirSync(join(scratch, group)).map((entry) => {
    const dir = join(group, entry);
    const manifest = JSON.parse(readFileSync(join(scratch, dir, 'package.json'), 'utf8'));
    const imports = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies });
    return { name: manifest.name as string, dir, imports };
  }),
);
const byName = new Map(workspaces.map((workspace) => [workspace.name, workspace]));

/** The workspace packages `name` imports, directly or through others, and itself. */
function reads(name: string, seen = new Set<string>()): Set<string> {
  if (seen.has(name) || !byName.has(name)) return seen;
  seen.add(name);
  for (const imported of byName.get(name)?.imports ?? []) reads(imported, seen);
  return seen;
}

/** Each package's hash of `task`, as the next `turbo run <task>` would compute it. */
function taskHashes(task: string): Map<string, string> {
  const dry = execFileSync(join(root, 'node_modules/.bin/turbo'), ['run', task, '--dry=json'], {
    cwd: scratch,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const tasks: { package: string; task: string; hash: string }[] = JSON.parse(dry).tasks;
  return new Map(tasks.filter((entry) => entry.task === task).map((entry) => [entry.package, entry.hash]));
}
const typecheckHashes = () => taskHashes('typecheck');

describe('turbo typecheck cache keys', () => {
  const before = typecheckHashes();

  it.each(workspaces.map((workspace) => [workspace.name, workspace] as const))(
    'a change in %s changes the type check of every package that imports it, and of no other',
    (_name, changed) => {
      const probe = join(scratch, changed.dir, 'turbo-cache-probe.ts');
      writeFileSync(probe, 'export const probe = 1;\n');
      const after = typecheckHashes();
      rmSync(probe);
      const rerun = workspaces.filter(
        (workspace) => before.get(workspace.name) !== after.get(workspace.name),
      );
      const expected = workspaces.filter((workspace) => reads(workspace.name).has(changed.name));
      expect(rerun.map((workspace) => workspace.name).sort()).toEqual(
        expected.map((workspace) => workspace.name).sort(),
      );
    },
  );

  it('re-runs the client’s type check when the router’s schemas change (client ↔ router agreement)', () => {
    const schemas = join(scratch, 'packages/api/src/schemas/chunking.ts');
    writeFileSync(schemas, `${readFileSync(schemas, 'utf8')}// changed\n`);
    expect(typecheckHashes().get('@chunkflow/client')).not.toBe(before.get('@chunkflow/client'));
  });
});

describe('turbo build cache keys', () => {
  /** The packages whose build hash a probe file changes (the tree as earlier tests left it, less the probe). */
  function rebuiltBy(probePath: string): string[] {
    const before = taskHashes('build');
    const probe = join(scratch, probePath);
    writeFileSync(probe, 'export const probe = 1;\n');
    const after = taskHashes('build');
    rmSync(probe);
    return [...after.keys()].filter((name) => after.get(name) !== before.get(name)).sort();
  }

  it('rebuilds a package whose source changed, and every package that imports it', () => {
    const built = taskHashes('build');
    const expected = workspaces
      .filter((workspace) => reads(workspace.name).has('@chunkflow/errors') && built.has(workspace.name))
      .map((workspace) => workspace.name)
      .sort();
    expect(rebuiltBy('packages/errors/src/turbo-cache-probe.ts')).toEqual(expected);
  });

  it('replays every build when only a test changed', () => {
    expect(rebuiltBy('packages/errors/test/turbo-cache-probe.test.ts')).toEqual([]);
  });
});
