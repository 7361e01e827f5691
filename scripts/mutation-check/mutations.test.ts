// Every mutation the gates' check (pnpm mutation-check) applies is well formed and still applies to
// this tree: a mutation that went stale would check nothing.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = join(import.meta.dirname, 'mutations');
const files = readdirSync(dir);
const ids = [...new Set(files.map((file) => file.replace(/\.(json|patch)$/, '')))].sort();

describe('the mutations of pnpm mutation-check', () => {
  it('are pairs of <id>.patch and <id>.json, and nothing else', () => {
    expect(ids.length).toBeGreaterThan(0);
    expect(files.sort()).toEqual(ids.flatMap((id) => [`${id}.json`, `${id}.patch`]).sort());
  });

  it.each(ids)('%s names its finding and a command, and its patch applies to this tree', (id) => {
    const mutation = JSON.parse(readFileSync(join(dir, `${id}.json`), 'utf8'));
    expect(Object.keys(mutation).sort()).toEqual(['command', 'description', 'finding']);
    for (const field of ['finding', 'description', 'command']) expect(mutation[field]).toMatch(/\S/);
    const check = spawnSync('git', ['apply', '--check', join(dir, `${id}.patch`)], {
      cwd: join(import.meta.dirname, '../..'),
      encoding: 'utf8',
    });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });
});
