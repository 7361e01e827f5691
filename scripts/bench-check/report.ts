import type { Baseline, Comparison, Drop } from './compare.ts';

const LABELS: Record<Comparison['verdict'], string> = {
  regressed: 'REGRESSED',
  improved: 'improved',
  ok: 'ok',
  missing: 'MISSING',
  new: 'new',
};

const figure = (value: number | undefined) => (value === undefined ? '—' : value.toPrecision(4));
const percent = (fraction: number | undefined) =>
  fraction === undefined ? '—' : `${fraction >= 0 ? '+' : ''}${(fraction * 100).toFixed(0)}%`;

const COLUMNS = ['verdict', 'baseline', 'measured', 'change', 'tolerance', 'ratio'];
const WIDTHS = [10, 10, 10, 7, 9];

/** A table of what was compared, regressions first: verdict, baseline, measured, change, tolerance, ratio. */
export function formatComparisons(comparisons: Comparison[]): string[] {
  const order: Comparison['verdict'][] = ['regressed', 'missing', 'improved', 'ok', 'new'];
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(WIDTHS[column] ?? 0))
      .join(' ')
      .trimEnd();
  const rows = [...comparisons]
    .sort((a, b) => order.indexOf(a.verdict) - order.indexOf(b.verdict))
    .map((row) =>
      line([
        LABELS[row.verdict],
        figure(row.baseline),
        figure(row.fresh),
        percent(row.relative === undefined ? undefined : row.relative - 1),
        percent(row.tolerance === undefined ? undefined : -row.tolerance),
        row.name,
      ]),
    );
  return [line(COLUMNS), ...rows];
}

export function summarise(comparisons: Comparison[]): string {
  const count = (verdict: Comparison['verdict']) =>
    comparisons.filter((row) => row.verdict === verdict).length;
  const checked = comparisons.length - count('missing') - count('new');
  return `${checked} ratios checked against the baseline: ${count('regressed')} regressed, ${count('improved')} improved, ${count('missing')} missing, ${count('new')} new`;
}

/** A drop past the tolerance: `<name>: <from> → <to> (−34%, tolerance −25%)`. */
export const formatDrop = (drop: Drop) =>
  `${drop.name}: ${figure(drop.from)} → ${figure(drop.to)} (${percent(drop.change)}, tolerance ${percent(-drop.tolerance)})`;

/** The ratios in `scope` lowered past their tolerance on purpose, each with its recorded reason. */
export function formatAcceptedDrops(scope: Baseline): string[] {
  return Object.entries(scope.ratios).flatMap(([name, { value, accepted }]) =>
    accepted === undefined
      ? []
      : [
          `accepted drop ${name}: ${figure(accepted.from)} → ${figure(value)} on ${accepted.date.slice(0, 10)}: ${accepted.reason}`,
        ],
  );
}
