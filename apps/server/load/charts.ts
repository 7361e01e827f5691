import type { ScenarioResult } from './report.ts';
import { renderLineChart } from './svg-chart.ts';

/**
 * p99 (and p50, when one procedure has the chart) per second for each procedure; apply's
 * end-to-end time is on a scale of its own and left out.
 */
export function latencyChart(result: ScenarioResult): string {
  const procedures = Object.entries(result.timeline.latency).filter(([name]) => !name.includes('→'));
  const percentiles = procedures.length === 1 ? (['p99', 'p50'] as const) : (['p99'] as const);
  return renderLineChart({
    title: `${result.scenario}: latency per second`,
    xLabel: 'seconds into the run',
    yLabel: 'latency (ms)',
    series: procedures.flatMap(([procedure, points]) =>
      percentiles.map((percentile) => ({
        name: `${procedure} ${percentile}`,
        points: points.map((point): [number, number] => [point.second, point[percentile]]),
      })),
    ),
    ...(result.procedures['chunking.preview']
      ? { threshold: { label: 'preview p99 target', value: 100 } }
      : {}),
  });
}

export function rssChart(result: ScenarioResult): string {
  const memory = (
    name: string,
    bytesOf: (sample: ScenarioResult['timeline']['server'][number]) => number,
  ) => ({
    name,
    points: result.timeline.server.map((sample): [number, number] => [
      sample.second,
      bytesOf(sample) / 2 ** 20,
    ]),
  });
  return renderLineChart({
    title: `${result.scenario}: server memory`,
    xLabel: 'seconds into the run',
    yLabel: 'MiB',
    series: [
      memory('RSS', (sample) => sample.rssBytes),
      memory('V8 heap used', (sample) => sample.heapUsedBytes),
      memory('external', (sample) => sample.externalBytes),
    ],
  });
}
