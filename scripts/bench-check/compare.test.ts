import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Baseline,
  baselineFrom,
  compareRatios,
  refusals,
  restrictTo,
  toleranceFor,
  withSpreads,
} from './compare.ts';
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

  it('calls ratios not measured this run missing, and ratios new to the baseline new', () => {
    expect(verdicts(fresh({ 'load: p99 vs no-op': 2 }))).toEqual({
      'chunkers: ours vs peer': 'missing',
      'mempool: rss vs pool': 'missing',
      'operations: cached speed-up': 'missing',
      'load: p99 vs no-op': 'new',
    });
  });

  it('refuses a missing ratio, an unreadable one, and fewer ratios checked than the baseline holds', () => {
    const scope = restrictTo(baseline, new Set(['chunkers', 'mempool']));
    const measured = fresh({ 'chunkers: ours vs peer': 8, 'mempool: renamed task': 1 });
    expect(refusals(scope, compareRatios(scope, measured), [])).toEqual([
      'missing mempool: rss vs pool: in the baseline, not in the results',
      '1 ratios checked, the baseline holds 2 for these results',
    ]);
    const unreadable = [{ name: 'mempool: rss vs pool', reason: 'task errored: boom' }];
    expect(
      refusals(scope, compareRatios(scope, fresh({ 'chunkers: ours vs peer': 8 })), unreadable),
    ).toContain('unreadable mempool: rss vs pool: task errored: boom');
    const complete = fresh({ 'chunkers: ours vs peer': 8, 'mempool: rss vs pool': 1, 'mempool: new': 1 });
    expect(refusals(scope, compareRatios(scope, complete), [])).toEqual([]);
  });

  it('refuses results the baseline holds nothing for', () => {
    const scope = restrictTo(baseline, new Set(['load']));
    expect(refusals(scope, compareRatios(scope, fresh({ 'load: p99 vs no-op': 2 })), [])).toEqual([
      'the baseline holds no ratio for these results files',
    ]);
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

  it('records a baseline, keeping tolerances and spreads set before', () => {
    const spread = { runs: 5, lowest: 80, highest: 120, loss: 0.2, measured: 'then' };
    const previous = {
      ...baseline,
      ratios: {
        ...baseline.ratios,
        'operations: cached speed-up': { value: 100, better: 'higher' as const, tolerance: 0.6, spread },
      },
    };
    const recorded = baselineFrom(
      [
        { name: 'operations: cached speed-up', value: 90, better: 'higher' },
        { name: 'chunkers: ours vs peer', value: 9, better: 'higher' },
      ],
      previous,
      { node: 'v20' },
    );
    expect(recorded).toEqual({
      tolerance: 0.25,
      recorded: { node: 'v20' },
      ratios: {
        'chunkers: ours vs peer': { value: 9, better: 'higher' },
        'operations: cached speed-up': { value: 90, better: 'higher', tolerance: 0.6, spread },
      },
    });
  });

  it('derives a tolerance of three times the largest loss seen, within the default and 0.8', () => {
    expect(toleranceFor(0.05, 0.25)).toBe(0.25);
    expect(toleranceFor(0.2, 0.25)).toBe(0.6);
    expect(toleranceFor(0.6, 0.25)).toBe(0.8);
  });

  it('re-records ratios from repeated runs: median value, spread, derived tolerance; others kept', () => {
    const run = (value: number) => [{ name: 'mempool: rss vs pool', value, better: 'lower' as const }];
    const next = withSpreads(baseline, [run(1), run(1.3), run(1.1), run(0.9), run(1.05)], 'today');
    expect(next.ratios['mempool: rss vs pool']).toEqual({
      value: 1.05,
      better: 'lower',
      tolerance: toleranceFor(1 - 1.05 / 1.3, 0.25),
      spread: { runs: 5, lowest: 0.9, highest: 1.3, loss: 1 - 1.05 / 1.3, measured: 'today' },
    });
    expect(next.ratios['chunkers: ours vs peer']).toEqual(baseline.ratios['chunkers: ours vs peer']);
    expect(next.rule).toContain('3 × spread.loss');
  });
});
