import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchmarksOf, megabytesPerSecond } from './bench-report/figures.ts';
import { generatedFiles } from './bench-report/generate.ts';
import { splice, table, times } from './bench-report/markdown.ts';
import { runtimeOf } from './bench-report/results.ts';

const root = join(import.meta.dirname, '..');

describe('pnpm bench:report', () => {
  it.each(generatedFiles(root))(
    '$path holds the figures generated from bench/results/, byte for byte',
    ({ path, content }) => {
      // On failure: pnpm bench:report, and commit the regenerated tables with the results.
      expect(readFileSync(join(root, path), 'utf8')).toBe(content);
    },
  );

  it('pads tables as Biome formats them and replaces only what lies between the markers', () => {
    expect(table(['a', 'long header'], [['wider cell', 'x']])).toBe(
      ['| a          | long header |', '| ---------- | ----------- |', '| wider cell | x           |'].join(
        '\n',
      ),
    );
    const document = 'before\n<!-- x:start -->\nold\n<!-- x:end -->\nafter\n';
    expect(splice(document, 'x', 'new')).toBe('before\n<!-- x:start -->\n\nnew\n\n<!-- x:end -->\nafter\n');
    expect(() => splice('no markers', 'x', 'new')).toThrow(/markers/);
  });

  it('files results under the runtime that produced them, and none it has no column for', () => {
    expect(runtimeOf({ environment: { node: 'v24.22.3' } })).toBe('node-24');
    expect(runtimeOf({ environment: { node: 'v20.20.2' } })).toBe('node-20');
    expect(runtimeOf({ environment: { node: 'v22.1.0' } })).toBeUndefined();
    expect(runtimeOf({})).toBeUndefined();
  });

  it('reads MB/s from the median run and the bytes the group names, rounds merged', () => {
    const group = (round: number, median: number) => ({
      fullName: `bench/c.bench.ts > fixed on 2,000,000 bytes · round ${round}`,
      benchmarks: [{ name: 'ours fixed', median }],
    });
    const report = { files: [{ groups: [group(1, 100), group(2, 400), group(3, 200)] }] };
    const [fixed] = benchmarksOf(report);
    expect(fixed).toEqual({ group: 'fixed on 2,000,000 bytes', name: 'ours fixed', medianMs: 200 });
    expect(megabytesPerSecond(fixed)).toBe(10);
    expect([times(17.06), times(0.447), times(0.00467)]).toEqual(['×17.1', '×0.45', '×0.0047']);
  });
});
