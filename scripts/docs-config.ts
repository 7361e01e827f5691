// Writes the settings tables of docs/configuration.md and README.md from the settings table
// (packages/core-services/src/settings/settings-table.ts), then formats them as Biome does.
//   pnpm docs:config
// packages/core-services/test/settings-docs.test.ts fails when the committed tables differ.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  configurationDocument,
  withReadmeTable,
} from '../packages/core-services/src/settings/settings-docs.ts';

const root = join(import.meta.dirname, '..');
const configuration = join(root, 'docs/configuration.md');
const readme = join(root, 'README.md');

writeFileSync(configuration, configurationDocument());
writeFileSync(readme, withReadmeTable(readFileSync(readme, 'utf8')));
execFileSync('pnpm', ['exec', 'biome', 'format', '--write', configuration, readme], {
  cwd: root,
  stdio: 'inherit',
});
