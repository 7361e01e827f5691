// Records the API the code serves into packages/api/snapshots (docs/api-compatibility.md).
//   pnpm api:snapshot  records additive changes; refuses when something would break a client.
//   pnpm api:accept    records even breaking changes and bumps the API version (major for a break,
//                      minor for additions) in apps/server/src/app.ts, README.md and CHANGELOG.md.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ApiDiff, diffApi } from '../packages/api/test/compat-api-diff.ts';
import {
  nextApiVersion,
  readApiVersionConstant,
  releaseChangelog,
  setApiVersionConstant,
  setReadmeApiVersion,
} from '../packages/api/test/compat-release.ts';
import { liveApiShapes } from '../packages/api/test/compat-shapes.ts';
import { readSnapshot, snapshotFiles, writeSnapshot } from '../packages/api/test/compat-snapshot.ts';

const root = join(import.meta.dirname, '..');
const paths = {
  app: join(root, 'apps/server/src/app.ts'),
  readme: join(root, 'README.md'),
  changelog: join(root, 'CHANGELOG.md'),
};
const accept = process.argv.includes('--accept');

const edit = (file: string, change: (text: string) => string) =>
  writeFileSync(file, change(readFileSync(file, 'utf8')));

function list(title: string, lines: string[]): void {
  if (lines.length > 0) console.log(`${title}:\n${lines.map((line) => `  - ${line}`).join('\n')}`);
}

function record(version: string): void {
  writeSnapshot(liveApiShapes(version));
  // Biome owns JSON formatting in this repository; the check must pass on what we wrote.
  execFileSync('pnpm', ['exec', 'biome', 'format', '--write', ...snapshotFiles], {
    cwd: root,
    stdio: 'ignore',
  });
}

function release(current: string, diff: ApiDiff): string {
  const version = nextApiVersion(current, diff);
  if (version === current) return current;
  edit(paths.app, (text) => setApiVersionConstant(text, version));
  edit(paths.readme, (text) => setReadmeApiVersion(text, version));
  edit(paths.changelog, (text) =>
    releaseChangelog(text, version, new Date().toISOString().slice(0, 10), diff),
  );
  return version;
}

const current = readApiVersionConstant(readFileSync(paths.app, 'utf8'));
if (!snapshotFiles.every(existsSync)) {
  record(current);
  console.log(`recorded the API at version ${current} (no earlier snapshot)`);
  process.exit(0);
}
const diff = diffApi(readSnapshot(), liveApiShapes(current));
list('breaking changes', diff.breaks);
list('additions', diff.additions);
if (diff.breaks.length > 0 && !accept) {
  console.error('\nnot recorded: these changes break existing clients. If intended, run `pnpm api:accept`.');
  process.exit(1);
}
const version = accept ? release(current, diff) : current;
record(version);
console.log(`recorded the API at version ${version}${version === current ? '' : ` (was ${current})`}`);
