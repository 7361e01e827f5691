interface Throughput {
  documents: number;
  seconds: number;
  documentsPerSecond: number;
}

export interface IngestFigures {
  documents: number;
  strategy: string;
  config: Record<string, unknown>;
  load: Throughput;
  copy: Throughput;
  importRoute: Throughput & { refused: Record<string, number> };
  apply: (Throughput & {
    workers: number;
    chunks: number;
    chunksPerSecond: number;
    /** CPU seconds the worker processes used during the operation; null where /proc is not. */
    workerCpuSeconds: number | null;
    statistics: { samples: number; p50Ms: number; p99Ms: number };
  })[];
  /** The first apply's chunks taken by COPY into a copy of the chunks table. */
  chunksCopy: { rows: number; rowsPerSecond: number };
}

const number = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** The run as a Markdown table: what was measured, its rate, and the floor or statistics beside it. */
export function formatIngestTable(figures: IngestFigures): string {
  const rows = [
    ['what', 'documents', 'seconds', 'documents/s', 'chunks/s', 'note'],
    [
      'load: documents.createMany (HTTP, 500 per call)',
      number(figures.load.documents),
      number(figures.load.seconds, 1),
      number(figures.load.documentsPerSecond),
      '—',
      `×${number(figures.load.documentsPerSecond / figures.copy.documentsPerSecond, 2)} the COPY floor`,
    ],
    [
      'floor: COPY of the same rows (psql \\copy)',
      number(figures.copy.documents),
      number(figures.copy.seconds, 1),
      number(figures.copy.documentsPerSecond),
      '—',
      'same run',
    ],
    [
      'load: NDJSON import route (converted, a tenth)',
      number(figures.importRoute.documents),
      number(figures.importRoute.seconds, 1),
      number(figures.importRoute.documentsPerSecond),
      '—',
      Object.entries(figures.importRoute.refused)
        .map(([code, count]) => `${count} refused ${code}`)
        .join(', '),
    ],
    ...figures.apply.map((run) => [
      `apply ${figures.strategy}, ${run.workers} worker${run.workers === 1 ? '' : 's'}`,
      number(run.documents),
      number(run.seconds, 1),
      number(run.documentsPerSecond),
      number(run.chunksPerSecond),
      `${number(run.chunks)} chunks, ×${number(run.chunksPerSecond / figures.chunksCopy.rowsPerSecond, 2)} the chunks' COPY floor;${run.workerCpuSeconds === null ? '' : ` ${number(run.chunks / run.workerCpuSeconds)} chunks per worker CPU second;`} statistics uncached p50 ${number(run.statistics.p50Ms, 1)} ms, p99 ${number(run.statistics.p99Ms, 1)} ms (${run.statistics.samples} reads)`,
    ]),
    [
      "floor: COPY of the apply's chunks",
      '—',
      number(figures.chunksCopy.rows / figures.chunksCopy.rowsPerSecond, 1),
      '—',
      number(figures.chunksCopy.rowsPerSecond),
      'into a copy of the chunks table, same run',
    ],
  ];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  const line = (row: string[]) =>
    `| ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  const [head, ...body] = rows as [string[], ...string[][]];
  return [line(head), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...body.map(line)].join(
    '\n',
  );
}
