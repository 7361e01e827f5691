import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Acceptance,
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

  it('records a baseline, keeping tolerances and spreads set before and the benches not recorded', () => {
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
      baseline: {
        tolerance: 0.25,
        recorded: { node: 'v20' },
        ratios: {
          'chunkers: ours vs peer': { value: 9, better: 'higher' },
          'mempool: rss vs pool': { value: 1, better: 'lower' },
          'operations: cached speed-up': { value: 90, better: 'higher', tolerance: 0.6, spread },
        },
      },
      refused: [],
    });
  });

  describe('the ratchet', () => {
    const record = (values: Record<string, number>, acceptance?: Acceptance) =>
      baselineFrom(fresh(values), baseline, {}, acceptance);

    it('refuses to lower a ratio past its tolerance without a reason, keeping the old value', () => {
      const slower = record({ 'chunkers: ours vs peer': 5.9, 'mempool: rss vs pool': 1.4 });
      expect(slower.refused).toEqual([
        { name: 'chunkers: ours vs peer', from: 8, to: 5.9, change: 5.9 / 8 - 1, tolerance: 0.25 },
        { name: 'mempool: rss vs pool', from: 1, to: 1.4, change: 1 / 1.4 - 1, tolerance: 0.25 },
      ]);
      expect(slower.baseline.ratios['chunkers: ours vs peer']?.value).toBe(8);
      expect(slower.baseline.ratios['mempool: rss vs pool']?.value).toBe(1);
      expect(record({ 'operations: cached speed-up': 41 }).refused).toEqual([]);
      expect(record({ 'operations: cached speed-up': 39 }).refused).toHaveLength(1);
    });

    it('records a drop past the tolerance with its reason, date and old value', () => {
      const acceptance = { reason: 'exact token counts cost 30%', date: '2026-12-06T21:00:00.000Z' };
      const accepted = record({ 'chunkers: ours vs peer': 5.9 }, acceptance);
      expect(accepted.refused).toEqual([]);
      expect(accepted.baseline.ratios['chunkers: ours vs peer']).toEqual({
        value: 5.9,
        better: 'higher',
        accepted: { ...acceptance, from: 8 },
      });
      const later = baselineFrom(fresh({ 'chunkers: ours vs peer': 6 }), accepted.baseline, {});
      expect(later.baseline.ratios['chunkers: ours vs peer']?.accepted).toEqual({ ...acceptance, from: 8 });
    });

    it('records an improvement, and a loss within the tolerance, freely', () => {
      const faster = record({ 'chunkers: ours vs peer': 20, 'mempool: rss vs pool': 0.5 });
      expect(faster.refused).toEqual([]);
      expect(faster.baseline.ratios['chunkers: ours vs peer']).toEqual({ value: 20, better: 'higher' });
      expect(faster.baseline.ratios['mempool: rss vs pool']).toEqual({ value: 0.5, better: 'lower' });
      expect(record({ 'chunkers: ours vs peer': 6.1 }).baseline.ratios['chunkers: ours vs peer']?.value).toBe(
        6.1,
      );
    });

    it('keeps the old value when repeated runs put the median past the tolerance, recording the spread', () => {
      const run = (value: number) => [{ name: 'chunkers: ours vs peer', value, better: 'higher' as const }];
      const { baseline: next, refused } = withSpreads(baseline, [run(5), run(4), run(5.5)], {
        measured: 'today',
        note: 'only 3 runs',
      });
      expect(refused).toEqual([
        { name: 'chunkers: ours vs peer', from: 8, to: 5, change: 5 / 8 - 1, tolerance: 0.25 },
      ]);
      expect(next.ratios['chunkers: ours vs peer']).toEqual({
        value: 8,
        better: 'higher',
        tolerance: toleranceFor(1 - 4 / 5, 0.25),
        spread: { runs: 3, lowest: 4, highest: 5.5, loss: 1 - 4 / 5, measured: 'today', note: 'only 3 runs' },
      });
      const within = [run(7), run(6.5), run(7.5)];
      expect(
        withSpreads(baseline, within, { measured: 'today' }).baseline.ratios['chunkers: ours vs peer']?.value,
      ).toBe(7);
      const kept = withSpreads(baseline, within, { measured: 'today' }, { keepValues: true });
      expect(kept.baseline.ratios['chunkers: ours vs peer']).toMatchObject({
        value: 8,
        spread: { loss: 1 - 6.5 / 7 },
      });
    });
  });

  it('derives a tolerance of three times the largest loss seen, within the default and 0.8', () => {
    expect(toleranceFor(0.05, 0.25)).toBe(0.25);
    expect(toleranceFor(0.2, 0.25)).toBe(0.6);
    expect(toleranceFor(0.6, 0.25)).toBe(0.8);
  });

  it('re-records ratios from repeated runs: median value, spread, derived tolerance; others kept', () => {
    const run = (value: number) => [{ name: 'mempool: rss vs pool', value, better: 'lower' as const }];
    const { baseline: next } = withSpreads(baseline, [run(1), run(1.3), run(1.1), run(0.9), run(1.05)], {
      measured: 'today',
    });
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
