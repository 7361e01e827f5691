import { describe, expect, it } from 'vitest';
import { ratiosOf } from './ratios.ts';

describe('reading ratios out of results files', () => {
  it('takes declared ratios by name or by ours/peer, skipping rows without a figure', () => {
    const report = {
      ratios: [
        { ours: 'ours recursive', peer: 'LangChain', ratio: 8.5, target: 4 },
        { name: 'p99 vs no-op', ratio: 3, better: 'lower' },
        { ours: 'ours hybrid', peer: 'LangChain' },
      ],
    };
    expect(ratiosOf('chunkers', report)).toEqual([
      { name: 'chunkers: ours recursive vs LangChain', value: 8.5, better: 'higher' },
      { name: 'chunkers: p99 vs no-op', value: 3, better: 'lower' },
    ]);
  });

  it('divides each tinybench task by the in-run baseline task', () => {
    const report = {
      tasks: [
        { name: 'pool', opsPerSecond: 300 },
        { name: 'baseline: alloc', opsPerSecond: 400 },
        { name: 'failed', state: 'errored' },
      ],
    };
    expect(ratiosOf('mempool', report)).toEqual([
      { name: 'mempool: pool vs baseline: alloc', value: 0.75, better: 'higher' },
    ]);
  });

  it('measures streaming memory against the pool it streamed through', () => {
    const report = { streaming: { rssBeforeMiB: 90, peakRssMiB: 150, poolMiB: 30 } };
    expect(ratiosOf('mempool', report)).toEqual([
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
    expect(ratiosOf('operations', report).map(({ name, value }) => [name, value])).toEqual([
      ['operations: statistics naiveOverUncached', 17],
      ['operations: statistics uncachedOverCached', 120],
      ['operations: apply throughput 2 workers vs 1', 1.8],
    ]);
  });

  it('finds nothing in a file of absolute figures only', () => {
    expect(ratiosOf('load', { requestsPerSecond: 5000, p99Ms: 20 })).toEqual([]);
    expect(ratiosOf('broken', null)).toEqual([]);
  });
});
