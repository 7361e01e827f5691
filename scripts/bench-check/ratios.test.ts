import { describe, expect, it } from 'vitest';
import { ratiosOf } from './ratios.ts';

describe('reading ratios out of results files', () => {
  it('takes declared ratios by name or by ours/peer', () => {
    const report = {
      ratios: [
        { ours: 'ours recursive', peer: 'LangChain', ratio: 8.5, target: 4 },
        { name: 'p99 vs no-op', ratio: 3, better: 'lower' },
      ],
    };
    expect(ratiosOf('chunkers', report)).toEqual({
      ratios: [
        { name: 'chunkers: ours recursive vs LangChain', value: 8.5, better: 'higher' },
        { name: 'chunkers: p99 vs no-op', value: 3, better: 'lower' },
      ],
      unreadable: [],
    });
  });

  it('calls a declared row without a finite figure unreadable, never skips it', () => {
    const report = {
      ratios: [
        { ours: 'ours hybrid', peer: 'LangChain' },
        { name: 'nan', ratio: Number.NaN },
      ],
    };
    expect(ratiosOf('chunkers', report)).toEqual({
      ratios: [],
      unreadable: [
        { name: 'chunkers: ours hybrid vs LangChain', reason: 'not a finite number (undefined)' },
        { name: 'chunkers: nan', reason: 'not a finite number (NaN)' },
      ],
    });
  });

  /** A `vitest bench --outputJson` report: groups of `[name, hz]` benchmarks. */
  const vitestReport = (groups: Record<string, [string, number | undefined][]>) => ({
    environment: { node: 'v20.20.2' },
    files: [
      {
        filepath: 'bench/x.bench.ts',
        groups: Object.entries(groups).map(([fullName, benchmarks]) => ({
          fullName: `bench/x.bench.ts > ${fullName}`,
          benchmarks: benchmarks.map(([name, hz]) => ({ name, hz })),
        })),
      },
    ],
  });

  it('divides every benchmark of a vitest group by each floor, baseline or peer of that group', () => {
    const report = vitestReport({
      'recursive tokens': [
        ['ours recursive', 8],
        ['peer: LangChain', 0.4],
        ['floor: one gpt-tokenizer pass', 10],
        ['compare: js-tiktoken', 2],
      ],
      'pool vs awaits': [
        ['pool', 300],
        ['baseline: alloc', 400],
      ],
    });
    expect(ratiosOf('chunkers', report).ratios).toEqual([
      { name: 'chunkers: ours recursive vs peer: LangChain', value: 20, better: 'higher' },
      { name: 'chunkers: ours recursive vs floor: one gpt-tokenizer pass', value: 0.8, better: 'higher' },
      { name: 'chunkers: pool vs baseline: alloc', value: 0.75, better: 'higher' },
    ]);
  });

  it('takes rates from the median run time when the report has it', () => {
    const report = vitestReport({
      g: [
        ['pool', 1],
        ['baseline: alloc', 1],
      ],
    });
    const [pool, alloc] = report.files[0]?.groups[0]?.benchmarks ?? [];
    Object.assign(pool ?? {}, { median: 2 });
    Object.assign(alloc ?? {}, { median: 4 });
    expect(ratiosOf('mempool', report).ratios.map((ratio) => ratio.value)).toEqual([2]);
  });

  it('takes the median over rounds of each round’s ratio, so one disturbed round cannot move it', () => {
    const rates = [
      [100, 200],
      [100, 100],
      [100, 400],
      [100, 50],
      [1, 1000],
    ];
    const report = vitestReport(
      Object.fromEntries(
        rates.map(([pool, alloc], round) => [
          `pool · round ${round + 1}`,
          [
            ['pool', pool],
            ['baseline: alloc', alloc],
          ],
        ]),
      ),
    );
    expect(ratiosOf('mempool', report).ratios).toEqual([
      { name: 'mempool: pool vs baseline: alloc', value: 0.5, better: 'higher' },
    ]);
  });

  it('calls a benchmark that errored, or its reference erroring, unreadable', () => {
    const reason = 'a benchmark without a rate (errored, or not run) (NaN)';
    const errored = vitestReport({
      g: [
        ['pool', 300],
        ['shared', undefined],
        ['baseline: alloc', 400],
      ],
    });
    expect(ratiosOf('mempool', errored)).toEqual({
      ratios: [{ name: 'mempool: pool vs baseline: alloc', value: 0.75, better: 'higher' }],
      unreadable: [{ name: 'mempool: shared vs baseline: alloc', reason }],
    });
    const withoutReference = vitestReport({
      'g · round 1': [
        ['pool', 300],
        ['baseline: alloc', 400],
      ],
      'g · round 2': [
        ['pool', 300],
        ['baseline: alloc', undefined],
      ],
    });
    expect(ratiosOf('mempool', withoutReference)).toEqual({
      ratios: [],
      unreadable: [{ name: 'mempool: pool vs baseline: alloc', reason }],
    });
  });

  it('measures streaming memory against the pool it streamed through', () => {
    const report = { streaming: { rssBeforeMiB: 90, peakRssMiB: 150, poolMiB: 30 } };
    expect(ratiosOf('mempool', report).ratios).toEqual([
      { name: 'mempool: streaming peak RSS vs RSS before plus the pool', value: 150 / 120, better: 'lower' },
    ]);
  });

  it('reads the operations speed-ups and worker scaling', () => {
    const report = {
      apply: [
        { workers: 1, chunksPerSecond: 1000 },
        { workers: 2, chunksPerSecond: 1800 },
      ],
      statistics: { naiveOverUncached: 17, uncachedOverCached: 120, cacheHitRate: 0.9 },
    };
    expect(ratiosOf('operations', report).ratios.map(({ name, value }) => [name, value])).toEqual([
      ['operations: statistics naiveOverUncached', 17],
      ['operations: statistics uncachedOverCached', 120],
      ['operations: apply throughput 2 workers vs 1', 1.8],
    ]);
  });

  it('calls a results file with no ratios in it unreadable', () => {
    const none = { ratios: [], unreadable: [{ name: 'load', reason: 'the results file holds no ratios' }] };
    expect(ratiosOf('load', { requestsPerSecond: 5000, p99Ms: 20 })).toEqual(none);
    expect(ratiosOf('load', {})).toEqual(none);
    expect(ratiosOf('load', null)).toEqual(none);
  });
});
