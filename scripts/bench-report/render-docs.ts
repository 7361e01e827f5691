// The generated figures of docs/retrieval.md (the export), docs/conversion.md (the converters) and
// the ingestion tables (README and docs/ingestion.md), from the committed results alone
// (bench/results): `export.json` of apps/server/bench/export.ts, `conversion.json` of
// packages/converters/bench/conversion.bench.ts and `ingest.json` of apps/server/bench/ingest.ts.
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

/** RSS of the server and each worker during an apply, first fifth → last fifth (runs before it was kept: none). */
function residentMemory(memory: Json): string[] {
  const workers = Array.isArray(memory.workers) ? memory.workers.map(asJson) : [];
  if (memory.server === undefined) return [];
  const parts = [
    `server ${fifths(asJson(memory.server))}`,
    ...workers.map((worker) => `worker ${fifths(worker)}`),
  ];
  return [`RSS first → last fifth: ${parts.join(', ')}`];
}

/** Loading and applying at scale beside their COPY floors, one table per runtime. */
export function ingestSection(results: Results): string {
  const runs = published(results, 'ingest');
  if (runs.length === 0) return unpublished('pnpm bench:ingest');
  const sections = runs.map(([runtime, report]) => {
    const rateOf = (value: unknown) => number(asJson(value).documentsPerSecond);
    const load = asJson(report.load);
    const copy = asJson(report.copy);
    const importRoute = asJson(report.importRoute);
    const chunksCopy = asJson(report.chunksCopy);
    const chunksFloor = number(chunksCopy.rowsPerSecond);
    const loadRate = rateOf(load);
    const copyRate = rateOf(copy);
    const throughput = (value: Json) => [
      figure(number(value.documents)),
      figure(number(value.seconds), 1),
      figure(number(value.documentsPerSecond)),
    ];
    const refused = Object.entries(asJson(importRoute.refused))
      .map(([code, count]) => `${String(count)} refused ${code}`)
      .join(', ');
    const applyRow = (value: unknown, what: string) => {
      const run = asJson(value);
      const workers = number(run.workers) ?? 0;
      const chunks = number(run.chunks);
      const chunksPerSecond = number(run.chunksPerSecond);
      const cpu = number(run.workerCpuSeconds);
      const postgresCpu = number(run.postgresCpuSeconds);
      const statistics = asJson(run.statistics);
      const loopDelay = number(statistics.eventLoopDelayP99Ms);
      return [
        `${what} ${String(report.strategy)}, ${workers} worker${workers === 1 ? '' : 's'}`,
        ...throughput(run),
        figure(chunksPerSecond),
        [
          `${figure(chunks)} chunks, ${times(chunksPerSecond !== undefined && chunksFloor ? chunksPerSecond / chunksFloor : undefined)} the chunks' COPY floor`,
          ...(cpu && chunks !== undefined ? [`${figure(chunks / cpu)} chunks per worker CPU second`] : []),
          ...(cpu && chunks ? [`CPU per chunk: worker ${figure((cpu * 1e6) / chunks, 1)} µs`] : []),
          ...(postgresCpu && chunks ? [`PostgreSQL ${figure((postgresCpu * 1e6) / chunks, 1)} µs`] : []),
          `statistics uncached p50 ${figure(number(statistics.p50Ms), 1)} ms, p99 ${figure(number(statistics.p99Ms), 1)} ms (${figure(number(statistics.samples))} reads)`,
          ...(loopDelay === undefined ? [] : [`server event-loop delay p99 ${figure(loopDelay, 1)} ms`]),
          ...residentMemory(asJson(run.memory)),
        ].join('; '),
      ];
    };
    // Each count of workers makes a first apply of its own collection; the re-chunk applies again
    // to the first one (runs before it was kept: none).
    const applies = [
      ...(Array.isArray(report.apply) ? report.apply : []).map((run) => applyRow(run, 'apply')),
      ...(report.rechunk === undefined ? [] : [applyRow(report.rechunk, 're-chunk')]),
    ];
    const rows = [
      [
        'load: documents.createMany (HTTP, 500 per call)',
        ...throughput(load),
        '—',
        `${times(loadRate !== undefined && copyRate ? loadRate / copyRate : undefined)} the COPY floor`,
      ],
      ['floor: COPY of the same rows (psql \\copy)', ...throughput(copy), '—', 'same run'],
      ['load: NDJSON import route (a tenth)', ...throughput(importRoute), '—', refused],
      ...applies,
      [
        "floor: COPY of the apply's chunks",
        '—',
        figure(
          number(chunksCopy.rows) !== undefined && chunksFloor
            ? Number(chunksCopy.rows) / chunksFloor
            : undefined,
          1,
        ),
        '—',
        figure(chunksFloor),
        [
          'into a copy of the chunks table, same run',
          ...(number(chunksCopy.postgresCpuSeconds) && number(chunksCopy.rows)
            ? [
                `PostgreSQL CPU ${figure((Number(chunksCopy.postgresCpuSeconds) * 1e6) / Number(chunksCopy.rows), 1)} µs per row`,
              ]
            : []),
        ].join('; '),
      ],
    ];
    const header = ['what', 'documents', 'seconds', 'documents/s', 'chunks/s', 'note'];
    return `${LABEL[runtime]}, ${String(report.strategy)} ${JSON.stringify(report.config)}:\n\n${table(header, rows)}\n\n${environmentLine(runtime, 'ingest', report)}`;
  });
  return sections.join('\n\n');
}

/**
 * One collection's work beside many others' chunks, on one table and on 16 partitions
 * (`partitions.json` of packages/db/bench/partitions.ts; PostgreSQL's work, so one runtime's run).
 */
export function partitionsSection(results: Results): string {
  const [run] = published(results, 'partitions');
  if (!run) return unpublished('pnpm --filter @chunkflow/db run bench:partitions');
  const [runtime, report] = run;
  const layouts = (Array.isArray(report.layouts) ? report.layouts : []).map(asJson);
  const at = (layout: Json | undefined, path: string) =>
    number(path.split('.').reduce<unknown>((value, key) => asJson(value)[key], layout ?? {}));
  const megabytes = (bytes: number | undefined) => figure(bytes === undefined ? undefined : bytes / 1e6);
  /** A figure of both layouts and how many times better the second is (a rate higher, a time or size lower). */
  const row = (what: string, path: string, { digits = 0, rate = false, format = figure } = {}) => {
    const [old, now] = [at(layouts[0], path), at(layouts[1], path)];
    const gain =
      old !== undefined && now !== undefined && old > 0 && now > 0
        ? rate
          ? now / old
          : old / now
        : undefined;
    return [what, format(old, digits), format(now, digits), times(gain)];
  };
  const vacuumed = (layout: Json | undefined) =>
    `${String(asJson(asJson(layout).vacuum).relation)}, ${megabytes(at(layout, 'vacuum.relationBytes'))} MB`;
  const rows = [
    row("others' chunks: table and indexes, MB", 'others.chunkTableBytes', { format: megabytes }),
    row('first write of the collection, rows/s', 'firstWrite.rowsPerSecond', { rate: true }),
    row('re-chunk of the collection, rows/s', 'rechunk.rowsPerSecond', { rate: true }),
    row('listing, ms per page of 100', 'listing.msPerPage', { digits: 1 }),
    row('statistics, ms (median)', 'statisticsMs.p50', { digits: 1 }),
    ['VACUUM after the re-chunk covers', vacuumed(layouts[0]), vacuumed(layouts[1]), ''],
    row('VACUUM (with its index pass) after the re-chunk, ms', 'vacuum.ms'),
    row('delete of the collection, ms', 'deleteCollectionMs'),
  ];
  const collection = asJson(report.collection);
  const migration = asJson(report.migration);
  return [
    `${figure(number(report.otherChunks))} chunks of 100 other collections, then one collection of ${figure(number(collection.documents))} documents and ${figure(number(collection.chunks))} chunks written and re-chunked through the chunk repository (COPY), with \`chunks\` as one table and as 16 partitions, the same schema otherwise (gain: how many times faster or smaller partitioned):`,
    table(['measured', 'one table', '16 partitions', 'gain'], rows),
    `The upgrade from the schema before partitioning (${String((Array.isArray(migration.migrations) ? migration.migrations : []).length)} migrations) of a database holding ${figure(number(migration.rows))} chunks: ${figure(number(migration.seconds), 1)} s, ${figure(number(migration.rowsPerSecond))} rows/s.`,
    environmentLine(runtime, 'partitions', report),
  ].join('\n\n');
}
