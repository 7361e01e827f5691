import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Baseline, baselineFrom, compareRatios, restrictTo } from './compare.ts';
import type { Ratio } from './ratios.ts';

const baseline: Baseline = {
  tolerance: 0.25,
  recorded: {},
  ratios: {
    'chunkers: ours vs peer': { value: 8, better: 'higher' },
    'mempool: rss vs pool': { value: 1, better: 'lower' },
    'operations: cached speed-up': { value: 100, better: 'higher', tolerance: 0.6 },
  },
};
const fresh = (values: Record<string, number>): Ratio[] =>
  Object.entries(values).map(([name, value]) => ({
    name,
    value,
    better: baseline.ratios[name]?.better ?? 'higher',
  }));
const verdicts = (ratios: Ratio[], tolerance?: number) =>
  Object.fromEntries(compareRatios(baseline, ratios, tolerance).map((row) => [row.name, row.verdict]));

describe('comparing fresh ratios with the baseline', () => {
  it('flags a higher-is-better ratio that lost more than the tolerance', () => {
    expect(verdicts(fresh({ 'chunkers: ours vs peer': 5.9 }))['chunkers: ours vs peer']).toBe('regressed');
    expect(verdicts(fresh({ 'chunkers: ours vs peer': 6.1 }))['chunkers: ours vs peer']).toBe('ok');
  });

  it('flags a lower-is-better ratio that grew past the tolerance', () => {
    expect(verdicts(fresh({ 'mempool: rss vs pool': 1.4 }))['mempool: rss vs pool']).toBe('regressed');
    expect(verdicts(fresh({ 'mempool: rss vs pool': 1.2 }))['mempool: rss vs pool']).toBe('ok');
    expect(verdicts(fresh({ 'mempool: rss vs pool': 0.5 }))['mempool: rss vs pool']).toBe('improved');
  });

  it('honours a per-ratio tolerance and a tolerance given for the run', () => {
    expect(verdicts(fresh({ 'operations: cached speed-up': 50 }))['operations: cached speed-up']).toBe('ok');
    expect(verdicts(fresh({ 'chunkers: ours vs peer': 5.9 }), 0.3)['chunkers: ours vs peer']).toBe('ok');
  });

  it('reports ratios not measured this run and ratios new to the baseline without failing them', () => {
    expect(verdicts(fresh({ 'load: p99 vs no-op': 2 }))).toEqual({
      'chunkers: ours vs peer': 'missing',
      'mempool: rss vs pool': 'missing',
      'operations: cached speed-up': 'missing',
      'load: p99 vs no-op': 'new',
    });
  });

  it('checks one results file against its own part of the baseline', () => {
    expect(Object.keys(restrictTo(baseline, new Set(['mempool'])).ratios)).toEqual(['mempool: rss vs pool']);
  });

  it('never calls a ratio regressed when it did not get worse', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
        fc.double({ min: 1, max: 1e3, noNaN: true }),
        fc.constantFrom<'higher' | 'lower'>('higher', 'lower'),
        (value, factor, better) => {
          const improved = better === 'higher' ? value * factor : value / factor;
          const [row] = compareRatios({ tolerance: 0.25, recorded: {}, ratios: { r: { value, better } } }, [
            { name: 'r', value: improved, better },
          ]);
          expect(row?.verdict).not.toBe('regressed');
        },
      ),
    );
  });

  it('records a baseline, keeping tolerances set by hand', () => {
    const recorded = baselineFrom(
      [
        { name: 'operations: cached speed-up', value: 90, better: 'higher' },
        { name: 'chunkers: ours vs peer', value: 9, better: 'higher' },
      ],
      baseline,
      { node: 'v20' },
    );
    expect(recorded).toEqual({
      tolerance: 0.25,
      recorded: { node: 'v20' },
      ratios: {
        'chunkers: ours vs peer': { value: 9, better: 'higher' },
        'operations: cached speed-up': { value: 90, better: 'higher', tolerance: 0.6 },
      },
    });
  });
});
