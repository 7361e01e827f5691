import type { Better, Ratio } from './ratios.ts';

/** bench/baseline.json: the ratios of a recorded run, and how far they may fall. */
export interface Baseline {
  /** Default largest accepted regression, as a fraction (0.25: a ratio may lose up to 25%). */
  tolerance: number;
  recorded: Record<string, unknown>;
  ratios: Record<string, { value: number; better: Better; tolerance?: number }>;
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
 * improved when it gained more. Ratios only one side has are `missing` (not measured this run) or
 * `new` (not in the baseline yet); neither fails the check.
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

/** The part of a baseline measured by these results files (`chunkers` for …/chunkers.json). */
export function restrictTo(baseline: Baseline, sources: Set<string>): Baseline {
  const measured = Object.entries(baseline.ratios).filter(([name]) => sources.has(name.split(': ')[0] ?? ''));
  return { ...baseline, ratios: Object.fromEntries(measured) };
}

/** A baseline recording these ratios, keeping per-ratio tolerances set by hand in the previous one. */
export function baselineFrom(
  ratios: Ratio[],
  previous: Baseline | undefined,
  recorded: Record<string, unknown>,
): Baseline {
  return {
    tolerance: previous?.tolerance ?? 0.25,
    recorded,
    ratios: Object.fromEntries(
      [...ratios]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((ratio) => {
          const kept = previous?.ratios[ratio.name]?.tolerance;
          return [
            ratio.name,
            { value: ratio.value, better: ratio.better, ...(kept === undefined ? {} : { tolerance: kept }) },
          ];
        }),
    ),
  };
}
