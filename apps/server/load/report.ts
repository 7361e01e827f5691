import { cpus, loadavg, totalmem } from 'node:os';
import type { LatencyPoint, LatencyRecorder, ProcedureSummary } from './latency-recorder.ts';
import { markdownTable } from './markdown-table.ts';
import type { ServerSample } from './metrics-sampler.ts';
import type { Scenario } from './scenarios.ts';

export interface TargetCheck {
  name: string;
  target: string;
  measured: string;
  met: boolean;
}

export interface ScenarioResult {
  scenario: string;
  description: string;
  startedAt: string;
  durationSeconds: number;
  connections: number;
  /** Requests/s the streams offered in all (`--rate`); null: as fast as answers came (saturation). */
  offeredRatePerSecond: number | null;
  /** Server processes the connections were spread over; memory and CPU figures are their sum. */
  servers: number;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGiB: number;
    node: string;
    /** 1-minute load average before and after the run: other work on the machine skews the figures. */
    loadAverage: { before: number; after: number };
  };
  totals: { requests: number; errors: number; errorRate: number; requestsPerSecond: number };
  /**
   * The server process's CPU time per request (its own counter, so other work on the machine does
   * not skew it the way it skews latency): what a request costs, comparable between runs.
   */
  serverCpuMsPerRequest: number;
  procedures: Record<string, ProcedureSummary>;
  /**
   * The same answers by what the server did for them (`chunking.preview, computed` or `, cached`,
   * read from each answer): a computed preview pays its chunking and the cache's round trips.
   */
  outcomes: Record<string, ProcedureSummary>;
  /**
   * The server's lookup counters (each compared strategy is a preview lookup too). Previews that
   * joined an identical computation already in flight (single flight) are no lookup of their own.
   */
  previewCache: { hits: number; misses: number; hitRate: number; joinedInFlight: number };
  memory: {
    rssStartBytes: number;
    rssEndBytes: number;
    rssPeakBytes: number;
    /**
     * RSS follows the garbage collector's sawtooth, so single samples mislead: these are medians of
     * the second tenth of the run (heaps and caches at working size) and of the last tenth.
     */
    rssAfterWarmupMedianBytes: number;
    rssFinalMedianBytes: number;
    growthAfterWarmup: number;
    growthFromStart: number;
  };
  eventLoop: { lagP99MedianMs: number; lagP99WorstMs: number; lagMaxMs: number };
  targets: TargetCheck[];
  timeline: { latency: Record<string, LatencyPoint[]>; server: ServerSample[] };
}

interface SummaryInput {
  scenario: Scenario;
  startedAt: Date;
  durationSeconds: number;
  connections: number;
  offeredRatePerSecond: number | undefined;
  servers: number;
  recorder: LatencyRecorder;
  samples: ServerSample[];
  loadAverageBefore: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

const percent = (ratio: number, digits = 2) => `${(ratio * 100).toFixed(digits)}%`;
const milliseconds = (value: number) => `${value.toFixed(1)} ms`;

/** The whole run's p99, and the p99 once warmed up: the cold start is reported, not hidden. */
function p99Below(name: string, summary: ProcedureSummary, limitMs: number): TargetCheck[] {
  const check = (label: string, measured: number) => ({
    name: `${name}${label}`,
    target: `< ${limitMs} ms`,
    measured: milliseconds(measured),
    met: measured < limitMs,
  });
  return [check('', summary.latencyMs.p99), check(', after warm-up', summary.latencyMs.p99AfterWarmup)];
}

/** The issue's targets that apply to the procedures this scenario ran. */
function targetChecks(result: Omit<ScenarioResult, 'targets'>): TargetCheck[] {
  const preview = result.procedures['chunking.preview'];
  const statistics = result.procedures['chunking.statistics'];
  const checks: Array<TargetCheck | undefined> = [
    {
      name: 'error rate',
      target: '< 0.1%',
      measured: percent(result.totals.errorRate, 3),
      met: result.totals.errorRate < 0.001,
    },
    ...(preview ? p99Below('preview p99 (documents ≤ 100 KB)', preview, 100) : []),
    ...(statistics ? p99Below('statistics p99', statistics, 20) : []),
    preview && {
      name: 'preview cache hit rate',
      target: '> 80%',
      measured: percent(result.previewCache.hitRate, 1),
      met: result.previewCache.hitRate > 0.8,
    },
    {
      name: 'RSS growth after warm-up (medians)',
      target: '< 10%',
      measured: percent(result.memory.growthAfterWarmup, 1),
      met: result.memory.growthAfterWarmup < 0.1,
    },
  ];
  return checks.filter((check) => check !== undefined);
}

export function summarise(input: SummaryInput): ScenarioResult {
  const procedures = input.recorder.summary(input.durationSeconds);
  const summaries = Object.values(procedures);
  const requests = summaries.reduce((sum, summary) => sum + summary.requests, 0);
  const errors = summaries.reduce((sum, summary) => sum + summary.errors, 0);
  const { samples } = input;
  const first = samples[0] as ServerSample;
  const last = samples.at(-1) as ServerSample;
  const tenth = input.durationSeconds / 10;
  const rssBetween = (from: number, to: number) =>
    median(
      samples
        .filter((sample) => sample.second >= from && sample.second <= to)
        .map((sample) => sample.rssBytes),
    ) || last.rssBytes;
  const afterWarmupMedian = rssBetween(tenth, 2 * tenth);
  const finalMedian = rssBetween(input.durationSeconds - tenth, Number.POSITIVE_INFINITY);
  const hits = last.previewCacheHits - first.previewCacheHits;
  const misses = last.previewCacheMisses - first.previewCacheMisses;
  const duringRun = samples.slice(1);
  const result: Omit<ScenarioResult, 'targets'> = {
    scenario: input.scenario.name,
    description: input.scenario.description,
    startedAt: input.startedAt.toISOString(),
    durationSeconds: input.durationSeconds,
    connections: input.connections,
    offeredRatePerSecond: input.offeredRatePerSecond ?? null,
    servers: input.servers,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      loadAverage: { before: input.loadAverageBefore, after: loadavg()[0] ?? 0 },
    },
    totals: {
      requests,
      errors,
      errorRate: requests === 0 ? 0 : errors / requests,
      requestsPerSecond: requests / input.durationSeconds,
    },
    serverCpuMsPerRequest: requests === 0 ? 0 : ((last.cpuSeconds - first.cpuSeconds) * 1000) / requests,
    procedures,
    outcomes: input.recorder.outcomeSummary(input.durationSeconds),
    previewCache: {
      hits,
      misses,
      hitRate: hits + misses === 0 ? 0 : hits / (hits + misses),
      joinedInFlight: last.previewCacheJoins - first.previewCacheJoins,
    },
    memory: {
      rssStartBytes: first.rssBytes,
      rssAfterWarmupMedianBytes: afterWarmupMedian,
      rssFinalMedianBytes: finalMedian,
      rssEndBytes: last.rssBytes,
      rssPeakBytes: Math.max(...samples.map((sample) => sample.rssBytes)),
      growthAfterWarmup: finalMedian / afterWarmupMedian - 1,
      growthFromStart: last.rssBytes / first.rssBytes - 1,
    },
    eventLoop: {
      lagP99MedianMs: median(duringRun.map((sample) => sample.eventLoopLagP99Ms)),
      lagP99WorstMs: Math.max(0, ...duringRun.map((sample) => sample.eventLoopLagP99Ms)),
      lagMaxMs: Math.max(0, ...duringRun.map((sample) => sample.eventLoopLagMaxMs)),
    },
    timeline: {
      latency: Object.fromEntries(
        Object.keys(procedures).map((procedure) => [procedure, input.recorder.timeline(procedure)]),
      ),
      server: samples,
    },
  };
  return { ...result, targets: targetChecks(result) };
}

const mebibytes = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

function latencyTable(firstColumn: string, rows: Record<string, ProcedureSummary>): string {
  return markdownTable(
    [
      { title: firstColumn },
      ...['requests', 'req/s', 'p50', 'p95', 'p99', 'p99 after warm-up', 'max', 'errors'].map((title) => ({
        title,
        align: 'right' as const,
      })),
    ],
    Object.entries(rows).map(([name, summary]) => {
      const [procedure, outcome] = name.split(', ');
      return [
        `\`${procedure}\`${outcome === undefined ? '' : `, ${outcome}`}`,
        String(summary.requests),
        summary.requestsPerSecond.toFixed(1),
        milliseconds(summary.latencyMs.p50),
        milliseconds(summary.latencyMs.p95),
        milliseconds(summary.latencyMs.p99),
        milliseconds(summary.latencyMs.p99AfterWarmup),
        milliseconds(summary.latencyMs.max),
        `${summary.errors}${summary.errors > 0 ? ` (${JSON.stringify(summary.failures)})` : ''}`,
      ];
    }),
  );
}

/** The human-readable report: run parameters, per-procedure table, targets, memory and event loop. */
export function renderMarkdown(result: ScenarioResult, command: string): string {
  const lines = [
    `## Load scenario \`${result.scenario}\``,
    '',
    result.description,
    '',
    `- Command: \`${command}\``,
    `- Started ${result.startedAt}, ${result.durationSeconds.toFixed(0)} s, ${result.connections} concurrent connections over ${result.servers === 1 ? '1 server process' : `${result.servers} server processes (memory and CPU below are their sum)`}`,
    result.offeredRatePerSecond === null
      ? '- Load: every connection sends as fast as answers come back (saturation: latency is connections ÷ throughput)'
      : `- Load: ${result.offeredRatePerSecond} requests/s offered in all, shared by weight (apply users aside), on schedule whether or not answers came back`,
    `- Machine: ${result.machine.cpus} × ${result.machine.cpuModel}, ${result.machine.memoryGiB} GiB, Node ${result.machine.node}; load generator, server, worker, PostgreSQL and Redis share it (1-min load average ${result.machine.loadAverage.before.toFixed(1)} before, ${result.machine.loadAverage.after.toFixed(1)} after)`,
    `- Total: ${result.totals.requests} requests, ${result.totals.requestsPerSecond.toFixed(0)} req/s, ${result.totals.errors} errors (${percent(result.totals.errorRate, 3)})`,
    '',
    latencyTable('procedure', result.procedures),
    '',
    ...(Object.keys(result.outcomes).length === 0
      ? []
      : [latencyTable('by what the server did', result.outcomes), '']),
    markdownTable(
      [{ title: 'target' }, { title: 'goal' }, { title: 'measured' }, { title: 'met' }],
      result.targets.map((check) => [check.name, check.target, check.measured, check.met ? 'yes' : '**no**']),
    ),
    '',
    `- Preview cache (the server's \`/metrics\` lookup counters): ${result.previewCache.hits} hits, ${result.previewCache.misses} misses (${percent(result.previewCache.hitRate, 1)}); ${result.previewCache.joinedInFlight} more joined an identical computation in flight`,
    `- Server CPU: ${result.serverCpuMsPerRequest.toFixed(2)} ms per request (the processes' own counters, unaffected by other work on the machine)`,
    `- Server RSS: start ${mebibytes(result.memory.rssStartBytes)}, end ${mebibytes(result.memory.rssEndBytes)}, peak ${mebibytes(result.memory.rssPeakBytes)}; median ${mebibytes(result.memory.rssAfterWarmupMedianBytes)} in the second tenth of the run and ${mebibytes(result.memory.rssFinalMedianBytes)} in the last (growth ${percent(result.memory.growthAfterWarmup, 1)}; ${percent(result.memory.growthFromStart, 1)} from start to end)`,
    `- Event-loop lag (p99 per 1 s scrape): median ${milliseconds(result.eventLoop.lagP99MedianMs)}, worst ${milliseconds(result.eventLoop.lagP99WorstMs)}; max ${milliseconds(result.eventLoop.lagMaxMs)}`,
    '',
  ];
  return lines.join('\n');
}
