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

  it('divides each tinybench task by the in-run baseline task', () => {
    const report = {
      tasks: [
        { name: 'pool', opsPerSecond: 300 },
        { name: 'baseline: alloc', opsPerSecond: 400 },
      ],
    };
    expect(ratiosOf('mempool', report).ratios).toEqual([
      { name: 'mempool: pool vs baseline: alloc', value: 0.75, better: 'higher' },
    ]);
  });

  it('takes the median over rounds of each round’s ratio, so one disturbed round cannot move it', () => {
    const report = {
      tasks: [
        { name: 'pool', opsPerSecond: 0, opsPerSecondByRound: [100, 100, 100, 100, 1] },
        { name: 'baseline: alloc', opsPerSecond: 0, opsPerSecondByRound: [200, 100, 400, 50, 1000] },
      ],
    };
    expect(ratiosOf('mempool', report).ratios.map((ratio) => ratio.value)).toEqual([0.5]);
  });

  it('calls a task that errored, or the reference task erroring, unreadable', () => {
    const errored = { name: 'shared', state: 'errored', error: 'budget exploded' };
    const report = {
      tasks: [{ name: 'pool', opsPerSecond: 300 }, errored, { name: 'baseline: alloc', opsPerSecond: 400 }],
    };
    expect(ratiosOf('mempool', report).unreadable).toEqual([
      { name: 'mempool: shared vs baseline: alloc', reason: 'task errored: budget exploded' },
    ]);
    const withoutReference = {
      tasks: [
        { name: 'pool', opsPerSecond: 300 },
        { name: 'baseline: alloc', state: 'aborted' },
      ],
    };
    expect(ratiosOf('mempool', withoutReference)).toEqual({
      ratios: [],
      unreadable: [{ name: 'mempool: pool vs baseline: alloc', reason: 'the reference task aborted' }],
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
