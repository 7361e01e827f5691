import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const cli = join(import.meta.dirname, '../bench-check.ts');
const dir = mkdtempSync(join(tmpdir(), 'bench-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A chunkers results file as packages/chunkers writes it, with our recursive strategy at `speed` MB/s. */
function chunkersResults(speed: number): string {
  const peers = { 'LangChain RecursiveCharacterTextSplitter': 70, 'chonkie RecursiveChunker': 90 };
  const file = join(dir, `run-${speed}`, 'chunkers.json');
  const ratios = Object.entries(peers).map(([peer, peerSpeed]) => ({
    ours: 'ours recursive 1000/200 chars',
    peer,
    ratio: speed / peerSpeed,
  }));
  mkdirSync(join(dir, `run-${speed}`), { recursive: true });
  writeFileSync(file, JSON.stringify({ results: [], ratios }));
  return file;
}

const run = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', cli, '--baseline', join(dir, 'baseline.json'), ...args], {
    encoding: 'utf8',
  });

describe('pnpm bench:check', () => {
  it('passes a run like the baseline and fails a deliberately slowed chunker, naming the ratios', () => {
    expect(run('--record', chunkersResults(600)).status).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'baseline.json'), 'utf8')).tolerance).toBe(0.25);

    const same = run(chunkersResults(580));
    expect(same.stdout).toContain('2 ratios checked against the baseline: 0 regressed');
    expect(same.status).toBe(0);

    const slowed = run(chunkersResults(300));
    expect(slowed.status).toBe(1);
    expect(slowed.stdout).toMatch(
      /REGRESSED +chunkers: ours recursive 1000\/200 chars vs LangChain RecursiveCharacterTextSplitter: 8\.571 → 4\.286 +\(-50%, tolerance -25%\)/,
    );
    expect(slowed.stdout).toContain('2 regressed');
  });

  it('takes a wider tolerance for one run and refuses a nonsensical one', () => {
    expect(run('--tolerance', '0.6', chunkersResults(300)).status).toBe(0);
    const refused = run('--tolerance', '2', chunkersResults(300));
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('--tolerance must be a fraction');
  });
});
