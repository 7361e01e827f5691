import { parser } from '@prometheus-io/lezer-promql';
import { parse as parseYaml } from 'yaml';

/** A series a PromQL expression selects: its metric name and the label names it matches on. */
export interface Selector {
  metric: string;
  labels: string[];
}

/**
 * Every vector selector of a PromQL expression, read with Prometheus's own grammar (the one its
 * UI uses). Throws on a syntax error, so a rule that Prometheus would refuse fails here too.
 */
export function selectorsIn(expression: string): Selector[] {
  const selectors: Selector[] = [];
  const text = (from: number, to: number) => expression.slice(from, to);
  parser.parse(expression).iterate({
    enter(node) {
      if (node.type.isError) throw new Error(`PromQL syntax error at ${node.from}: ${expression}`);
      if (node.name !== 'VectorSelector') return;
      const name = node.node.getChild('Identifier');
      if (!name) return;
      const labels = node.node
        .getChild('LabelMatchers')
        ?.getChildren('UnquotedLabelMatcher')
        .map((matcher) => matcher.getChild('LabelName'))
        .flatMap((label) => (label ? [text(label.from, label.to)] : []));
      selectors.push({ metric: text(name.from, name.to), labels: labels ?? [] });
    },
  });
  return selectors;
}

const SERIES_SUFFIXES: Record<string, string[]> = {
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

/**
 * The series names a Prometheus text exposition offers (a histogram `x` is queried as `x_bucket`,
 * `x_sum`, `x_count`), each with the label names its samples carry.
 */
export function exportedSeries(exposition: string): Map<string, Set<string>> {
  const series = new Map<string, Set<string>>();
  for (const line of exposition.split('\n')) {
    const declared = /^# TYPE (\S+) (\S+)/.exec(line);
    if (declared) {
      const [, family = '', type = ''] = declared;
      for (const suffix of SERIES_SUFFIXES[type] ?? ['']) series.set(`${family}${suffix}`, new Set());
      continue;
    }
    const sample = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? /.exec(line);
    if (!sample?.[1]) continue;
    const labels = series.get(sample[1]) ?? new Set<string>();
    for (const [, label] of (sample[2] ?? '').matchAll(/(\w+)="/g)) if (label) labels.add(label);
    series.set(sample[1], labels);
  }
  return series;
}

export interface Rule {
  record?: string;
  alert?: string;
  expr: string;
}

/** The rules of a Prometheus rule file (`groups[].rules[]`), refusing one without a name or expr. */
export function rulesIn(yamlText: string): Rule[] {
  const document = parseYaml(yamlText) as { groups?: { name: string; rules?: Rule[] }[] };
  const rules = (document.groups ?? []).flatMap((group) => group.rules ?? []);
  for (const rule of rules) {
    if (typeof rule.expr !== 'string' || (rule.record === undefined) === (rule.alert === undefined)) {
      throw new Error(`malformed rule: ${JSON.stringify(rule)}`);
    }
  }
  return rules;
}

/** The PromQL of every panel target of a Grafana dashboard, with the panel's title. */
export function dashboardQueries(dashboard: {
  panels?: { title: string; targets?: { expr?: string }[] }[];
}): { panel: string; expr: string }[] {
  return (dashboard.panels ?? []).flatMap((panel) =>
    (panel.targets ?? []).flatMap((target) =>
      target.expr ? [{ panel: panel.title, expr: target.expr }] : [],
    ),
  );
}

/**
 * What is wrong with the series an expression selects: a metric neither exported nor recorded by
 * a rule, or a label that the metric's samples do not carry (checked only where samples exist).
 */
export function unknownSelections(
  expression: string,
  exported: Map<string, Set<string>>,
  recorded: Set<string>,
): string[] {
  return selectorsIn(expression).flatMap(({ metric, labels }) => {
    if (recorded.has(metric)) return [];
    const exportedLabels = exported.get(metric);
    if (!exportedLabels) return [`metric ${metric} is not exported`];
    if (exportedLabels.size === 0) return [];
    return labels
      .filter((label) => !exportedLabels.has(label))
      .map((label) => `${metric} has no label ${label}`);
  });
}
