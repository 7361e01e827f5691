import type { Comparison } from './compare.ts';

const LABELS: Record<Comparison['verdict'], string> = {
  regressed: 'REGRESSED',
  improved: 'improved',
  ok: 'ok',
  missing: 'not measured',
  new: 'new',
};

const figure = (value: number | undefined) => (value === undefined ? '—' : value.toPrecision(4));
const percent = (fraction: number) => `${fraction >= 0 ? '+' : ''}${(fraction * 100).toFixed(0)}%`;

/** One line per ratio, regressions first: verdict, name, baseline → fresh, change and tolerance. */
export function formatComparisons(comparisons: Comparison[]): string[] {
  const order: Comparison['verdict'][] = ['regressed', 'improved', 'ok', 'new', 'missing'];
  return [...comparisons]
    .sort((a, b) => order.indexOf(a.verdict) - order.indexOf(b.verdict))
    .map((row) => {
      const change =
        row.relative === undefined || row.tolerance === undefined
          ? ''
          : `  (${percent(row.relative - 1)}, tolerance ${percent(-row.tolerance)})`;
      return `${LABELS[row.verdict].padEnd(12)} ${row.name}: ${figure(row.baseline)} → ${figure(row.fresh)}${change}`;
    });
}

export function summarise(comparisons: Comparison[]): string {
  const count = (verdict: Comparison['verdict']) =>
    comparisons.filter((row) => row.verdict === verdict).length;
  const checked = comparisons.length - count('missing') - count('new');
  return `${checked} ratios checked against the baseline: ${count('regressed')} regressed, ${count('improved')} improved, ${count('missing')} not measured, ${count('new')} new`;
}
