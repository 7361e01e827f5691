import { type Better, median, type Ratio, type Reading } from './ratios.ts';

/** How a ratio moved over repeated runs on one machine, the evidence for its tolerance. */
export interface Spread {
  runs: number;
  lowest: number;
  highest: number;
  /** Largest loss of one run against the median of the runs, as a fraction (see `toleranceFor`). */
  loss: number;
  measured: string;
}

export interface BaselineRatio {
  value: number;
  better: Better;
  /** Largest accepted loss for this ratio; without it, the baseline's default. */
  tolerance?: number;
  spread?: Spread;
}

/** bench/baseline.json: the ratios of a recorded run, and how far they may fall. */
export interface Baseline {
  /** Default largest accepted regression, as a fraction (0.25: a ratio may lose up to 25%). */
  tolerance: number;
  /** How a measured spread becomes a tolerance, in words (the code is `toleranceFor`). */
  rule?: string;
  recorded: Record<string, unknown>;
  ratios: Record<string, BaselineRatio>;
}

export type Verdict = 'ok' | 'regressed' | 'improved' | 'missing' | 'new';

export interface Comparison {
  name: string;
  verdict: Verdict;
  baseline?: number;
  fresh?: number;
  /** fresh ÷ baseline, oriented so that below 1 is always worse. */
  relative?: number;
  tolerance?: number;
}

/** How a fresh value compares, > 1 better and < 1 worse, whichever way the ratio improves. */
export const relativeChange = (baseline: number, fresh: number, better: Better) =>
  better === 'higher' ? fresh / baseline : baseline / fresh;

/**
 * Each baseline ratio against its fresh value: regressed when it lost more than its tolerance,
 * improved when it gained more. Ratios only one side has are `missing` (in the baseline, not
 * measured: the check fails) or `new` (not in the baseline yet: reported only).
 */
export function compareRatios(
  baseline: Baseline,
  fresh: Ratio[],
  tolerance = baseline.tolerance,
): Comparison[] {
  const freshByName = new Map(fresh.map((ratio) => [ratio.name, ratio]));
  const compared = Object.entries(baseline.ratios).map(([name, recorded]): Comparison => {
    const measured = freshByName.get(name);
    if (!measured) return { name, verdict: 'missing', baseline: recorded.value };
    const allowed = recorded.tolerance ?? tolerance;
    const relative = relativeChange(recorded.value, measured.value, recorded.better);
    const verdict = relative < 1 - allowed ? 'regressed' : relative > 1 + allowed ? 'improved' : 'ok';
    return { name, verdict, baseline: recorded.value, fresh: measured.value, relative, tolerance: allowed };
  });
  const added = fresh
    .filter((ratio) => !(ratio.name in baseline.ratios))
    .map((ratio): Comparison => ({ name: ratio.name, verdict: 'new', fresh: ratio.value }));
  return [...compared, ...added];
}

/**
 * Why the check fails besides a regression: a ratio the results could not give (errored task,
 * NaN, empty file), a baseline ratio not measured, or fewer ratios checked than the baseline holds.
 */
export function refusals(
  scope: Baseline,
  comparisons: Comparison[],
  unreadable: Reading['unreadable'],
): string[] {
  const expected = Object.keys(scope.ratios).length;
  const checked = comparisons.filter((row) => row.verdict !== 'missing' && row.verdict !== 'new').length;
  return [
    ...unreadable.map((row) => `unreadable ${row.name}: ${row.reason}`),
    ...comparisons
      .filter((row) => row.verdict === 'missing')
      .map((row) => `missing ${row.name}: in the baseline, not in the results`),
    ...(expected === 0 ? ['the baseline holds no ratio for these results files'] : []),
    ...(checked === expected
      ? []
      : [`${checked} ratios checked, the baseline holds ${expected} for these results`]),
  ];
}

/** The part of a baseline measured by these results files (`chunkers` for …/chunkers.json). */
export function restrictTo(baseline: Baseline, sources: Set<string>): Baseline {
  const measured = Object.entries(baseline.ratios).filter(([name]) => sources.has(sourceOf(name)));
  return { ...baseline, ratios: Object.fromEntries(measured) };
}

export const sourceOf = (name: string) => name.split(': ')[0] ?? '';

/**
 * The tolerance rule (docs/performance.md, "Performance baseline"): three times the largest loss seen, within bounds.
 * Three, not two: the spread was measured on a loaded shared machine, the ratios moved with the
 * load, and how they sit on a quiet one is not known.
 */
export const TOLERANCE_RULE =
  'tolerance = 3 × spread.loss, at least the default tolerance and at most 0.8; spread.loss = largest loss of one run against the median of spread.runs runs on the recording machine';
export const toleranceFor = (loss: number, floor: number) =>
  Math.min(0.8, Math.max(floor, Math.ceil(300 * loss) / 100));

/**
 * The baseline with these ratios re-recorded from repeated runs (one Ratio[] per run): each takes
 * the median of its runs as its value, the spread as evidence, and the tolerance the rule derives.
 */
export function withSpreads(previous: Baseline, runs: Ratio[][], measured: string): Baseline {
  const byName = new Map<string, Ratio[]>();
  for (const ratio of runs.flat()) byName.set(ratio.name, [...(byName.get(ratio.name) ?? []), ratio]);
  const remeasured = [...byName].map(([name, ratios]): [string, BaselineRatio] => {
    const values = ratios.map((ratio) => ratio.value);
    const better = ratios[0]?.better ?? 'higher';
    const value = median(values);
    const loss = Math.max(0, ...values.map((one) => 1 - relativeChange(value, one, better)));
    const spread = {
      runs: values.length,
      lowest: Math.min(...values),
      highest: Math.max(...values),
      loss,
      measured,
    };
    return [name, { value, better, tolerance: toleranceFor(loss, previous.tolerance), spread }];
  });
  const ratios = { ...previous.ratios, ...Object.fromEntries(remeasured) };
  const sorted = Object.keys(ratios).sort((a, b) => a.localeCompare(b));
  return {
    tolerance: previous.tolerance,
    rule: TOLERANCE_RULE,
    recorded: previous.recorded,
    ratios: Object.fromEntries(sorted.map((name) => [name, ratios[name] as BaselineRatio])),
  };
}

/** A baseline recording these ratios, keeping per-ratio tolerances and spreads of the previous one. */
export function baselineFrom(
  ratios: Ratio[],
  previous: Baseline | undefined,
  recorded: Record<string, unknown>,
): Baseline {
  const kept = (name: string) => {
    const { tolerance, spread } = previous?.ratios[name] ?? {};
    return { ...(tolerance === undefined ? {} : { tolerance }), ...(spread === undefined ? {} : { spread }) };
  };
  return {
    tolerance: previous?.tolerance ?? 0.25,
    ...(previous?.rule === undefined ? {} : { rule: previous.rule }),
    recorded,
    ratios: Object.fromEntries(
      [...ratios]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((ratio) => [ratio.name, { value: ratio.value, better: ratio.better, ...kept(ratio.name) }]),
    ),
  };
}
