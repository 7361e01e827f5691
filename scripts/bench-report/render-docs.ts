// The generated figures of docs/retrieval.md (the export) and docs/conversion.md (the converters),
// from the committed results alone (bench/results): `export.json` of apps/server/bench/export.ts
// and `conversion.json` of packages/converters/bench/conversion.bench.ts.
import { figure, table, times } from './markdown.ts';
import { asJson, environmentLine } from './render.ts';
import { type Json, type Results, RUNTIMES, type Runtime } from './results.ts';

const LABEL: Record<Runtime, string> = { 'node-20': 'Node 20', 'node-24': 'Node 24' };

function published(results: Results, source: string): [Runtime, Json][] {
  return RUNTIMES.flatMap((runtime) => {
    const report = results[runtime].get(source);
    return report ? [[runtime, report] as [Runtime, Json]] : [];
  });
}

function unpublished(command: string): string {
  return `No published run yet: \`${command}\` (or \`pnpm bench\`), then \`pnpm bench:report --publish\`.`;
}

const number = (value: unknown) => (typeof value === 'number' ? value : undefined);

/** The largest RSS sample in the first and in the last fifth of a read (runs before these were kept: blank). */
function fifths(read: Json): string {
  const first = number(read.firstFifthMaxRssMb);
  const last = number(read.lastFifthMaxRssMb);
  return first === undefined || last === undefined ? '' : `${figure(first)} → ${figure(last)} MB`;
}

/** Each read of the export beside the floor: lines/s, the share of the floor's rate, server memory. */
export function exportSection(results: Results): string {
  const runs = published(results, 'export');
  if (runs.length === 0) return unpublished('pnpm --filter @chunkflow/server run bench:export');
  const rows = runs.flatMap(([runtime, report]) => {
    const floor = number(asJson(report.floor).linesPerSecond);
    const row = (read: string, key: string, peak: unknown) => {
      const rate = number(asJson(report[key]).linesPerSecond);
      return [
        LABEL[runtime],
        figure(number(report.chunks)),
        read,
        figure(rate),
        key === 'floor' ? '' : times(rate !== undefined && floor ? rate / floor : undefined),
        peak === undefined ? '' : `${figure(number(peak))} MB`,
        key === 'floor' ? '' : fifths(asJson(report[key])),
      ];
    };
    return [
      row('floor: PostgreSQL `COPY` of the same lines', 'floor', undefined),
      row('raw bytes', 'raw', report.serverPeakAfterRawMb),
      row('`exportChunks` (parsed)', 'parsed', report.serverPeakAfterMb),
    ];
  });
  const header = [
    'runtime',
    'chunks',
    'read',
    'lines/s',
    '÷ floor',
    'server peak RSS (VmHWM)',
    'RSS, first → last fifth of the read',
  ];
  const idle = runs.map(
    ([runtime, report]) =>
      `${LABEL[runtime]}: the server's RSS before the export ${figure(number(report.serverRssBeforeMb))} MB.`,
  );
  return [
    table(header, rows),
    idle.join(' '),
    `Measured:\n\n${runs.map(([runtime, report]) => environmentLine(runtime, 'export', report)).join('\n')}`,
  ].join('\n\n');
}

/** Each converter on each file: mean time, pages/s, MB/s, RSS growth and fidelity. */
export function conversionSection(results: Results): string {
  const runs = published(results, 'conversion');
  if (runs.length === 0) return unpublished('pnpm --filter @chunkflow/converters bench');
  const sections = runs.map(([runtime, report]) => {
    const files = asJson(report.files);
    const rows = (Array.isArray(report.results) ? report.results : []).map((value, index, all) => {
      const result = asJson(value);
      const format = String(result.format);
      const file = asJson(files[format]);
      const first = index === 0 || asJson(all[index - 1]).format !== format;
      return [
        first ? String(file.description ?? format) : '',
        String(result.converter),
        figure(number(result.meanMs)),
        figure(number(result.pagesPerSecond) ?? undefined),
        figure(number(result.mbPerSecond), 2),
        figure(number(result.rssGrowthMb)),
        figure(number(result.fidelity), 2),
      ];
    });
    const header = ['file', 'converter', 'mean ms', 'pages/s', 'MB/s', 'RSS growth MB', 'fidelity'];
    return `${LABEL[runtime]}:\n\n${table(header, rows)}\n\n${environmentLine(runtime, 'conversion', report)}`;
  });
  return sections.join('\n\n');
}
