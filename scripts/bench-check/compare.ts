import { type Better, median, type Ratio, type Reading } from './ratios.ts';

/** How a ratio moved over repeated runs on one machine, the evidence for its tolerance. */
export interface Spread {
  runs: number;
  lowest: number;
  highest: number;
  /** Largest loss of one run against the median of the runs, as a fraction (see `toleranceFor`). */
  loss: number;
  measured: string;
  /** What the reader should know about these runs (few of them, a loaded machine). */
  note?: string;
}

/** Why a ratio may be recorded lower than its tolerance allows (`--accept-drop "<why>"`), and when. */
export interface Acceptance {
  reason: string;
  date: string;
}

/** A lowering past the tolerance that was accepted, kept beside the ratio with the value it replaced. */
export interface AcceptedDrop extends Acceptance {
  from: number;
}

/** A new value that would lower a recorded ratio by more than its tolerance. */
export interface Drop {
  name: string;
  from: number;
  to: number;
  /** to ÷ from − 1, oriented so that below 0 is always worse. */
  change: number;
  tolerance: number;
}

export interface BaselineRatio {
  value: number;
  better: Better;
  /** Largest accepted loss for this ratio; without it, the baseline's default. */
  tolerance?: number;
  spread?: Spread;
  /** The last time this ratio was lowered past its tolerance on purpose. */
  accepted?: AcceptedDrop;
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

/** A recording: the new baseline, and the drops it refused (their old values kept). */
export interface Recording {
  baseline: Baseline;
  refused: Drop[];
}

/**
 * The ratchet: a recorded ratio takes its new value unless that loses more than the ratio's
 * tolerance and no reason was given; then the old value stays and the drop is refused.
 */
function ratcheted(
  previous: Baseline | undefined,
  name: string,
  value: number,
  better: Better,
  acceptance: Acceptance | undefined,
): { entry: Pick<BaselineRatio, 'value' | 'accepted'>; refused?: Drop } {
  const old = previous?.ratios[name];
  if (!previous || !old) return { entry: { value } };
  const kept = old.accepted === undefined ? {} : { accepted: old.accepted };
  const tolerance = old.tolerance ?? previous.tolerance;
  const change = relativeChange(old.value, value, better) - 1;
  if (change >= -tolerance) return { entry: { value, ...kept } };
  if (acceptance) return { entry: { value, accepted: { ...acceptance, from: old.value } } };
  return {
    entry: { value: old.value, ...kept },
    refused: { name, from: old.value, to: value, change, tolerance },
  };
}

const sortedByName = (ratios: Record<string, BaselineRatio>) =>
  Object.fromEntries(
    Object.keys(ratios)
      .sort((a, b) => a.localeCompare(b))
      .map((name) => [name, ratios[name] as BaselineRatio]),
  );

/**
 * The baseline with these ratios re-recorded from repeated runs (one Ratio[] per run): each takes
 * the spread as evidence and the tolerance the rule derives, and the median of its runs as its
 * value where the ratchet allows it, unless `keepValues` keeps every recorded value.
 */
export function withSpreads(
  previous: Baseline,
  runs: Ratio[][],
  measured: Pick<Spread, 'measured' | 'note'>,
  { acceptance, keepValues = false }: { acceptance?: Acceptance; keepValues?: boolean } = {},
): Recording {
  const byName = new Map<string, Ratio[]>();
  for (const ratio of runs.flat()) byName.set(ratio.name, [...(byName.get(ratio.name) ?? []), ratio]);
  const refused: Drop[] = [];
  const remeasured = [...byName].map(([name, ratios]): [string, BaselineRatio] => {
    const values = ratios.map((ratio) => ratio.value);
    const better = ratios[0]?.better ?? 'higher';
    const middle = median(values);
    const loss = Math.max(0, ...values.map((one) => 1 - relativeChange(middle, one, better)));
    const spread = {
      runs: values.length,
      lowest: Math.min(...values),
      highest: Math.max(...values),
      loss,
      ...measured,
    };
    const { entry, refused: drop } = ratcheted(previous, name, middle, better, acceptance);
    if (drop) refused.push(drop);
    const old = previous.ratios[name];
    const { value, ...accepted } =
      keepValues && old ? ratcheted(previous, name, old.value, better, undefined).entry : entry;
    const tolerance = toleranceFor(loss, previous.tolerance);
    return [name, { value, better, tolerance, spread, ...accepted }];
  });
  return {
    baseline: {
      tolerance: previous.tolerance,
      rule: TOLERANCE_RULE,
      recorded: previous.recorded,
      ratios: sortedByName({ ...previous.ratios, ...Object.fromEntries(remeasured) }),
    },
    refused,
  };
}

/**
 * A baseline recording these ratios, keeping per-ratio tolerances and spreads of the previous one
 * and the ratios of benches not recorded this time; drops past a tolerance need `acceptance`.
 */
export function baselineFrom(
  ratios: Ratio[],
  previous: Baseline | undefined,
  recorded: Record<string, unknown>,
  acceptance?: Acceptance,
): Recording {
  const refused: Drop[] = [];
  const sources = new Set(ratios.map((ratio) => sourceOf(ratio.name)));
  const notRecorded = Object.entries(previous?.ratios ?? {}).filter(([name]) => !sources.has(sourceOf(name)));
  const fresh = ratios.map((ratio): [string, BaselineRatio] => {
    const { tolerance, spread } = previous?.ratios[ratio.name] ?? {};
    const { entry, refused: drop } = ratcheted(previous, ratio.name, ratio.value, ratio.better, acceptance);
    if (drop) refused.push(drop);
    const { value, ...accepted } = entry;
    return [
      ratio.name,
      {
        value,
        better: ratio.better,
        ...(tolerance === undefined ? {} : { tolerance }),
        ...(spread === undefined ? {} : { spread }),
        ...accepted,
      },
    ];
  });
  return {
    baseline: {
      tolerance: previous?.tolerance ?? 0.25,
      ...(previous?.rule === undefined ? {} : { rule: previous.rule }),
      recorded,
      ratios: sortedByName(Object.fromEntries([...notRecorded, ...fresh])),
    },
    refused,
  };
}
