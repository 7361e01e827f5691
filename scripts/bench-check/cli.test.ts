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
    expect(same.stdout).toMatch(/^verdict +baseline +measured +change +tolerance +ratio$/m);
    expect(same.status).toBe(0);

    const slowed = run(chunkersResults(300));
    expect(slowed.status).toBe(1);
    expect(slowed.stdout).toMatch(
      /REGRESSED +8\.571 +4\.286 +-50% +-25% +chunkers: ours recursive 1000\/200 chars vs LangChain RecursiveCharacterTextSplitter/,
    );
    expect(slowed.stdout).toContain('2 regressed');
  });

  it('takes a wider tolerance for one run and refuses a nonsensical one', () => {
    expect(run('--tolerance', '0.6', chunkersResults(300)).status).toBe(0);
    const refused = run('--tolerance', '2', chunkersResults(300));
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('--tolerance must be a fraction');
  });

  it('fails a missing ratio, an errored task, NaN, and a results file with no ratios, saying why', () => {
    const results = (name: string, report: unknown) => {
      const file = join(dir, name, 'mempool.json');
      mkdirSync(join(dir, name), { recursive: true });
      writeFileSync(file, JSON.stringify(report));
      return file;
    };
    // As `vitest bench --outputJson` writes it; an errored benchmark has no rate (`hz`).
    const tasks = (shared: object) => ({
      files: [
        {
          filepath: 'bench/mempool.bench.ts',
          groups: [
            {
              fullName: 'bench/mempool.bench.ts > pool',
              benchmarks: [
                { name: 'pool', hz: 300 },
                { name: 'shared', ...shared },
                { name: 'baseline: alloc', hz: 400 },
              ],
            },
          ],
        },
      ],
    });
    const mempoolBaseline = join(dir, 'mempool-baseline.json');
    const check = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', cli, '--baseline', mempoolBaseline, ...args], {
        encoding: 'utf8',
      });
    expect(check('--record', results('good', tasks({ hz: 200 }))).status).toBe(0);
    expect(check(results('again', tasks({ hz: 210 }))).status).toBe(0);

    const errored = check(results('errored', tasks({ rank: 0, rme: 0, samples: [] })));
    expect(errored.status).toBe(1);
    expect(errored.stderr).toContain(
      'unreadable mempool: shared vs baseline: alloc: a benchmark without a rate (errored, or not run) (NaN)',
    );
    expect(errored.stdout).toMatch(/^MISSING .* mempool: shared vs baseline: alloc$/m);
    expect(errored.stderr).toContain('1 ratios checked, the baseline holds 2 for these results');

    const renamed = check(results('renamed', tasks({ hz: 200, name: 'shared, renamed' })));
    expect(renamed.status).toBe(1);
    expect(renamed.stderr).toContain(
      'missing mempool: shared vs baseline: alloc: in the baseline, not in the results',
    );

    const nan = check(results('nan', tasks({ hz: null })));
    expect(nan.status).toBe(1);
    expect(nan.stderr).toContain('unreadable mempool: shared vs baseline: alloc: a benchmark without a rate');

    const empty = check(results('empty', {}));
    expect(empty.status).toBe(1);
    expect(empty.stderr).toContain('unreadable mempool: the results file holds no ratios');
    expect(empty.stdout).toContain(
      '0 ratios checked against the baseline: 0 regressed, 0 improved, 2 missing',
    );
  });

  it('refuses to re-record a drop past the tolerance, records it with a reason that every check prints', () => {
    const ratchetBaseline = join(dir, 'ratchet-baseline.json');
    const ratchet = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', cli, '--baseline', ratchetBaseline, ...args], {
        encoding: 'utf8',
      });
    const recordedRatio = (name: string) => JSON.parse(readFileSync(ratchetBaseline, 'utf8')).ratios[name];
    const langchain = 'chunkers: ours recursive 1000/200 chars vs LangChain RecursiveCharacterTextSplitter';
    expect(ratchet('--record', chunkersResults(600)).status).toBe(0);

    const refused = ratchet('--record', chunkersResults(300));
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`refused ${langchain}: 8.571 → 4.286 (-50%, tolerance -25%)`);
    expect(recordedRatio(langchain).value).toBeCloseTo(600 / 70);

    const accepted = ratchet('--record', '--accept-drop', 'exact token counts', chunkersResults(300));
    expect(accepted.status).toBe(0);
    expect(recordedRatio(langchain)).toMatchObject({
      value: 300 / 70,
      accepted: { reason: 'exact token counts', from: 600 / 70 },
    });
    const check = ratchet(chunkersResults(300));
    expect(check.status).toBe(0);
    expect(check.stdout).toMatch(
      new RegExp(
        `^accepted drop ${langchain}: 8\\.571 → 4\\.286 on \\d{4}-\\d\\d-\\d\\d: exact token counts$`,
        'm',
      ),
    );

    expect(ratchet('--record', chunkersResults(900)).status).toBe(0);
    expect(recordedRatio(langchain).value).toBeCloseTo(900 / 70);
  });
});
