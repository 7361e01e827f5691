import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dashboardQueries,
  exportedSeries,
  rulesIn,
  selectorsIn,
  unknownSelections,
} from './alerts-metrics.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const repositoryRoot = join(import.meta.dirname, '../../..');
const rules = rulesIn(readFileSync(join(repositoryRoot, 'ops/prometheus/alerts.yml'), 'utf8'));
const dashboard = JSON.parse(readFileSync(join(repositoryRoot, 'ops/grafana/chunkflow.json'), 'utf8'));
const recorded = new Set(rules.flatMap((rule) => (rule.record ? [rule.record] : [])));

describe('PromQL and exposition reading', () => {
  it('finds metric names and matched labels, not functions, grouping labels or numbers', () => {
    expect(
      selectorsIn(
        'histogram_quantile(0.99, sum by (le) (rate(a_bucket{status=~"5.."}[5m]))) > 2 * b offset 1h unless on() c:d',
      ),
    ).toEqual([
      { metric: 'a_bucket', labels: ['status'] },
      { metric: 'b', labels: [] },
      { metric: 'c:d', labels: [] },
    ]);
  });

  it('refuses an expression Prometheus would refuse', () => {
    expect(() => selectorsIn('sum(rate(a[5m])')).toThrow(/syntax error/);
  });

  it('offers a histogram as its _bucket, _sum and _count series, with their labels', () => {
    const series = exportedSeries(
      [
        '# TYPE h histogram',
        'h_bucket{le="1",status="200"} 3',
        'h_sum 1',
        'h_count 3',
        '# TYPE g gauge',
        '',
      ].join('\n'),
    );
    expect([...series.keys()]).toEqual(['h_bucket', 'h_sum', 'h_count', 'g']);
    expect(series.get('h_bucket')).toEqual(new Set(['le', 'status']));
    expect(unknownSelections('h', series, new Set())).toEqual(['metric h is not exported']);
    expect(unknownSelections('h_count{code="1"} + g', series, new Set())).toEqual([]);
    expect(unknownSelections('h_bucket{code="1"}', series, new Set())).toEqual([
      'h_bucket has no label code',
    ]);
  });
});

describe('alert rules and dashboard against a running server’s /metrics', () => {
  let server: TestServer;
  let exported: Map<string, Set<string>>;

  beforeAll(async () => {
    server = await startTestServer('embedded');
    // Samples (not only declarations) for the request metrics, so their labels can be checked too.
    await server.client.chunking.strategies.query({});
    await server.client.chunking.preview.mutate({ content: 'One. Two. Three.', strategy: 'sentence' });
    await server.client.chunking.preview.mutate({ content: 'One. Two. Three.', strategy: 'sentence' });
    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    exported = exportedSeries(await response.text());
  });
  afterAll(async () => {
    await server?.close();
  });

  it('covers the rollback triggers (error rate, p99 against a baseline, process memory) and the queue', () => {
    const alerts = rules.filter((rule) => rule.alert);
    const uses = (metric: string) =>
      alerts.some((rule) => selectorsIn(rule.expr).some((selector) => selector.metric === metric));
    expect(uses('chunkflow:procedure_error_ratio:rate5m')).toBe(true);
    expect(uses('chunkflow:procedure_latency_seconds:p99_5m')).toBe(true);
    expect(uses('process_resident_memory_bytes')).toBe(true);
    expect(uses('chunkflow_queue_waiting_jobs')).toBe(true);
  });

  it('alert rules name only exported metrics and labels', () => {
    const problems = rules.flatMap((rule) =>
      unknownSelections(rule.expr, exported, recorded).map(
        (problem) => `${rule.alert ?? rule.record}: ${problem}`,
      ),
    );
    expect(problems).toEqual([]);
  });

  it('dashboard panels query only exported or recorded metrics', () => {
    const queries = dashboardQueries(dashboard);
    expect(queries.length).toBeGreaterThan(5);
    const problems = queries.flatMap(({ panel, expr }) =>
      unknownSelections(expr, exported, recorded).map((problem) => `${panel}: ${problem}`),
    );
    expect(problems).toEqual([]);
  });
});
