// The generated figures: README's summary table and docs/performance.md's benchmark section,
// from the committed results alone (bench/results), so they can be checked byte for byte.
import { REFERENCE, ratiosOf } from '../bench-check/ratios.ts';
import { benchmarksOf, find, type Measured, megabytesPerSecond, perSecond, ratio } from './figures.ts';
import { figure, percent, table, times } from './markdown.ts';
import { type Json, type Results, RUNTIMES, type Runtime } from './results.ts';

const LABEL: Record<Runtime, string> = { 'node-20': 'Node 20', 'node-24': 'Node 24' };

const OURS_CHARS = 'ours recursive 1000/200 chars';
const LANGCHAIN_CHARS = 'peer: LangChain RecursiveCharacterTextSplitter 1000/200 chars';
const OURS_TOKENS = 'ours recursive 256/32 tokens';
const LANGCHAIN_TOKENS = 'peer: LangChain recursive 256/32 tokens + js-tiktoken';
const TOKENIZER_PASS = 'floor: one gpt-tokenizer pass (cl100k)';
const OURS_CODE_SOURCE = 'ours code 256/32 tokens on source files';
const SERVING_FLOOR = 'floor: bare tRPC + Fastify + superjson answering the same preview from memory';
const SERVING_TRPC = 'tRPC chunking.preview (cache hit)';
const SERVING_LOAD_CONTENT = 'tRPC chunking.preview by content (cache hit)';
const SERVING_LOAD_HASH = 'tRPC chunking.previewByHash (cache hit)';
const POOL = 'acquire+release 64 KiB (reused buffer)';
const POOL_REFERENCE = 'baseline: the same awaits around a held 64 KiB buffer';

/** The engine's targets: each strategy's speed as a share of one tokenizer pass. */
const STRATEGY_TARGETS: Record<string, string> = {
  fixed: '≥ ×0.9',
  recursive: '≥ ×0.9',
  markdown: '≥ ×0.9',
  hierarchical: '≥ ×0.9',
  sentence: '≥ ×0.7',
  hybrid: '≥ ×0.7',
  'code on source files': '≥ ×0.5',
  'code on prose files': '≥ 4 MB/s',
};

const get = (results: Results, runtime: Runtime, source: string) => results[runtime].get(source);
export const asJson = (value: unknown) =>
  typeof value === 'object' && value !== null ? (value as Json) : {};
const runtimesWith = (results: Results, source: string) => RUNTIMES.filter((r) => results[r].has(source));

const mbs = (value: number | undefined) => (value === undefined ? '—' : `${figure(value, 2)} MB/s`);
const rate = (value: number | undefined, unit: string) =>
  value === undefined ? '—' : `${figure(value, value < 100 ? 1 : 0)} ${unit}`;

/** The figure of one benchmark: MB/s where its group names the bytes chunked, else runs per second. */
function speed(measured: Measured | undefined, unit: string): { value?: number; text: string } {
  const megabytes = megabytesPerSecond(measured);
  if (megabytes !== undefined) return { value: megabytes, text: mbs(megabytes) };
  const value = perSecond(measured);
  return value === undefined ? { text: '—' } : { value, text: rate(value, unit) };
}

/** The reference a group's other benchmarks are shown against: its floor, else baseline, else first peer. */
function referenceOf(names: string[]): string | undefined {
  for (const prefix of ['floor: ', 'baseline: ', 'peer: ']) {
    const found = names.find((name) => name.startsWith(prefix));
    if (found) return found;
  }
  return undefined;
}

/**
 * One describe group on every runtime that ran it: each benchmark's figure, its ratio as bench:check
 * reads it, and Node 24's figure against Node 20's. With one subject (a peers' group) the ratio
 * column gives the subject ÷ each reference row; with several, each subject ÷ the group's reference.
 */
function groupTable(results: Results, source: string, group: string, unit: string): string {
  const runtimes = runtimesWith(results, source);
  const first = benchmarksOf(get(results, runtimes[0] ?? 'node-20', source)).filter((b) => b.group === group);
  const names = first.map((b) => b.name);
  const subjects = names.filter((name) => !REFERENCE.test(name) && !name.startsWith('compare: '));
  const single = subjects.length === 1 ? subjects[0] : undefined;
  const reference = referenceOf(names);
  const pairOf = (name: string): [string, string] | undefined => {
    if (single) return REFERENCE.test(name) ? [single, name] : undefined;
    return reference && subjects.includes(name) ? [name, reference] : undefined;
  };
  const column = single
    ? `${single.split(' ')[0]} ÷ it`
    : `÷ ${reference?.slice(0, reference.indexOf(':')) ?? 'reference'}`;
  const header = [
    'benchmark',
    ...runtimes.flatMap((r) => [LABEL[r], `${column} (${LABEL[r]})`]),
    ...(runtimes.length === 2 ? ['Node 24 vs 20'] : []),
  ];
  const rows = names.map((name) => {
    const speeds = runtimes.map((r) => speed(find(get(results, r, source), name, group), unit));
    const pair = pairOf(name);
    const cells = runtimes.flatMap((r, index) => [
      speeds[index]?.text ?? '—',
      pair ? times(ratio(source, get(results, r, source), ...pair)) : '',
    ]);
    const [old, fresh] = speeds.map((one) => one.value);
    const change = old && fresh ? percent(fresh / old - 1) : '—';
    return [name, ...cells, ...(runtimes.length === 2 ? [change] : [])];
  });
  const what = single ? `\`${single}\`'s rate ÷ each reference's` : `each rate ÷ \`${reference}\`'s`;
  return `Ratios: ${what}, in the same run.\n\n${table(header, rows)}`;
}

function strategiesTable(results: Results): string {
  const runtimes = runtimesWith(results, 'chunkers');
  const strategies = benchmarksOf(get(results, 'node-20', 'chunkers'))
    .map((b) => /^ours (\S+) 256\/32 tokens( on .+)?$/.exec(b.name))
    .filter((match) => match !== null)
    .map(([name, strategy, text]) => ({ name, label: `${strategy}${text ?? ''}` }));
  const header = [
    'strategy, 256/32 cl100k tokens',
    ...runtimes.flatMap((r) => [LABEL[r], `× one gpt-tokenizer pass (${LABEL[r]})`]),
    'target',
  ];
  const rows = strategies.map(({ name, label }) => [
    label,
    ...runtimes.flatMap((r) => {
      const report = get(results, r, 'chunkers');
      return [
        mbs(megabytesPerSecond(find(report, name))),
        times(ratio('chunkers', report, name, TOKENIZER_PASS)),
      ];
    }),
    STRATEGY_TARGETS[label] ?? '',
  ]);
  return table(header, rows);
}

/** When and where one results file was measured, from the environment it recorded. */
export function environmentLine(runtime: Runtime, source: string, report: Json): string {
  const environment = asJson(report.environment);
  const start = String(environment.date).slice(0, 16).replace('T', ' ');
  const end = String(environment.finished ?? environment.date).slice(11, 16);
  const load = (key: string) => (Array.isArray(environment[key]) ? String(environment[key][0]) : '—');
  return `- \`${runtime}/${source}.json\`: Node ${String(environment.node).slice(1)}, ${start}–${end} UTC, ${String(environment.cores)} × ${String(environment.cpu)}, load average ${load('loadAverage')} at the start, ${load('loadAverageAtEnd')} at the end`;
}

/** When and where each results file was measured. */
function environmentLines(results: Results): string[] {
  return RUNTIMES.flatMap((runtime) =>
    [...results[runtime]].map(([source, report]) => environmentLine(runtime, source, report)),
  );
}

function memorySentence(report: Json | undefined): string {
  const runs = Array.isArray(report?.memory) ? report.memory.map(asJson) : [];
  return runs
    .map((run) => {
      const result = asJson(run.result);
      const config = asJson(run.config);
      const unit = config.sizeUnit === 'tokens' ? 'token' : 'char';
      return `${String(run.megabytes)} M chars in ${String(config.chunkSize)}-${unit} chunks: ${String(result.seconds)} s, peak RSS ${String(result.peakRssMiB)} MiB`;
    })
    .join('; ');
}

function streamingSentence(report: Json | undefined): string {
  const streaming = asJson(report?.streaming);
  if (streaming.peakRssMiB === undefined) return '—';
  return `${String(streaming.totalMiB)} MiB through ${String(streaming.windowKiB)} KiB windows of a ${String(streaming.poolMiB)} MiB pool in ${String(streaming.seconds)} s, peak RSS ${String(streaming.peakRssMiB)} MiB (${String(streaming.rssBeforeMiB)} before)`;
}

function eventLoopSentence(report: Json | undefined): string {
  const cases = Array.isArray(report?.cases) ? report.cases.map(asJson) : [];
  return cases
    .map(
      (one) =>
        `${String(one.mode)}: p50 ${figure(Number(one.cheapP50Ms))} ms, p99 ${figure(Number(one.cheapP99Ms))} ms, ${figure(Number(one.cheapRequestsPerSecond))} req/s`,
    )
    .join('; ');
}

/** bench/serving-load.ts: each case's rate and latency, then each ratio to the floor against its goal. */
function servingLoadTables(results: Results): string | undefined {
  const runtimes = runtimesWith(results, 'serving-load');
  if (runtimes.length === 0) return undefined;
  return runtimes
    .map((runtime) => {
      const report = asJson(get(results, runtime, 'serving-load'));
      const cases = Array.isArray(report.cases) ? report.cases.map(asJson) : [];
      const ratios = Array.isArray(report.ratios) ? report.ratios.map(asJson) : [];
      const caseRows = cases.map((one) => [
        String(one.name),
        rate(Number(one.requestsPerSecond), 'req/s'),
        `${figure(Number(one.p50Ms))} ms`,
        `${figure(Number(one.p99Ms))} ms`,
        `${figure(Number(one.serverCpuMsPerRequest), 2)} ms`,
        figure(Number(one.answerBytes)),
      ]);
      const ratioRows = ratios.map((one) => [
        String(one.name),
        times(Number(one.ratio)),
        times(Number(one.cpuRatio)),
        one.goal === undefined ? '' : `≥ ×${String(one.goal)}`,
        String(one.met ?? ''),
      ]);
      const heading = `${LABEL[runtime]}, ${String(report.connections)} connections, ${String(report.seconds)} s per case, median of ${String(report.rounds)} rounds:`;
      return `${heading}\n\n${table(['case', 'rate', 'p50', 'p99', 'server CPU per request', 'answer bytes'], caseRows)}\n\n${table(['ratio to the floor', 'rate', 'server CPU per request (floor ÷ case)', 'goal (rate)', 'met'], ratioRows)}`;
    })
    .join('\n\n');
}

/** README's summary of bench/serving-load.ts: a hit by content and by hash against the floor. */
function servingLoadSummary(report: Json): string {
  const cases = Array.isArray(report.cases) ? report.cases.map(asJson) : [];
  const ratios = Array.isArray(report.ratios) ? report.ratios.map(asJson) : [];
  const rateOf = (name: string) =>
    rate(Number(cases.find((one) => one.name === name)?.requestsPerSecond), 'req/s');
  const ratioOf = (name: string) =>
    times(Number(ratios.find((one) => one.name === `${name} ÷ floor`)?.ratio));
  const p99Of = (name: string) => figure(Number(cases.find((one) => one.name === name)?.p99Ms));
  return `by content ${rateOf(SERVING_LOAD_CONTENT)} (${ratioOf(SERVING_LOAD_CONTENT)}, p99 ${p99Of(SERVING_LOAD_CONTENT)} ms), by hash ${rateOf(SERVING_LOAD_HASH)} (${ratioOf(SERVING_LOAD_HASH)}) the floor server`;
}

function operationsSentences(report: Json | undefined): string[] {
  if (!report) return [];
  const apply = Array.isArray(report.apply) ? report.apply.map(asJson) : [];
  const statistics = asJson(report.statistics);
  const ms = (value: unknown) => figure(Number(asJson(value).medianMs), 2);
  const workers = (count: number) => (count === 1 ? '1 worker' : `${count} workers`);
  return [
    `apply ${apply.map((run) => `${figure(Number(run.chunksPerSecond))} chunks/s with ${workers(Number(run.workers))}`).join(', ')}`,
    `statistics median ${ms(statistics.uncached)} ms uncached, ${ms(statistics.cached)} ms cached, ${ms(statistics.naiveLoop)} ms for the N+1 loop it replaces`,
  ];
}

/**
 * Node 24 against Node 20 for every source run on both: each gated ratio (measured against its
 * reference in the same run, so the load of each run weighs less than on absolute figures).
 */
function runtimeComparison(results: Results): string | undefined {
  const sources = [...results['node-24'].keys()].filter((source) => results['node-20'].has(source));
  const rows = sources.flatMap((source) => {
    const read = (runtime: Runtime) =>
      new Map(
        ratiosOf(source, get(results, runtime, source) ?? {}).ratios.map((one) => [one.name, one.value]),
      );
    const [old, fresh] = [read('node-20'), read('node-24')];
    return [...old].flatMap(([name, value]) => {
      const other = fresh.get(name);
      return other === undefined ? [] : [[name, times(value), times(other), percent(other / value - 1)]];
    });
  });
  if (rows.length === 0) return undefined;
  const header = ['ratio (as bench:check reads it)', 'Node 20', 'Node 24', 'change'];
  return `**Node 24 against Node 20**, ratio by ratio (each measured against its reference in the same run; the runs differ in load, see the list below):\n\n${table(header, rows)}`;
}

/** A script's sentence for every runtime that ran it: `Node 20: …; Node 24: …`. */
function perRuntime(
  results: Results,
  source: string,
  sentence: (report: Json | undefined) => string,
): string {
  const runtimes = runtimesWith(results, source);
  if (runtimes.length === 1) return sentence(get(results, runtimes[0] ?? 'node-20', source));
  return runtimes.map((r) => `${LABEL[r]}: ${sentence(get(results, r, source))}`).join('; ');
}

/** docs/performance.md, between `<!-- bench:performance:start/end -->`. */
export function performanceSection(results: Results): string {
  const groups = (source: string) => [
    ...new Set(benchmarksOf(get(results, 'node-20', source)).map((b) => b.group)),
  ];
  const chunkerGroups = groups('chunkers').filter((group) => group.includes('vs peers'));
  const parts = [
    '**Chunking** (`pnpm bench --filter @chunkflow/chunkers`, or `vitest bench` in `packages/chunkers`): every figure is the median run over the same corpus (Markdown, prose, code and multilingual text from installed packages), MB = 10^6 bytes of UTF-8; ratios are ours ÷ the reference in the same run.',
    ...chunkerGroups.map((group) => `${group}:\n\n${groupTable(results, 'chunkers', group, 'runs/s')}`),
    `Each strategy against one \`gpt-tokenizer\` pass over the same text, timed back to back in its own group:\n\n${strategiesTable(results)}`,
    `Large documents (\`bench/memory.ts\`, a child process per run): ${perRuntime(results, 'memory', memorySentence)}.`,
    ...groups('serving').map(
      (group) =>
        `**Serving** (\`pnpm bench --filter @chunkflow/server\`): ${group}, one request at a time over loopback from the benchmark's own process (so each figure includes the client's work), PostgreSQL and Redis as in production:\n\n${groupTable(results, 'serving', group, 'req/s')}`,
    ),
    ...[servingLoadTables(results)]
      .filter((part): part is string => part !== undefined)
      .map(
        (tables) =>
          `**Serving at 50 connections** (\`bench/serving-load.ts\`, after the suites in \`pnpm bench --filter @chunkflow/server\`): a server process as \`pnpm load\` starts it (PostgreSQL, Redis) and the floor server in a process of its own, driven by autocannon from the same machine; a cached preview of the same ~20 KB document asked for by content and by content hash, over tRPC and REST:\n\n${tables}`,
      ),
    `A cheap request while large previews run (\`bench/event-loop.ts\`, autocannon, 10 connections): ${perRuntime(results, 'event-loop', eventLoopSentence)}.`,
    ...groups('mempool').map(
      (group) =>
        `**Memory pool** (\`pnpm bench --filter @chunkflow/mempool\`), ${group}, in interleaved rounds (ratios are the median over rounds):\n\n${groupTable(results, 'mempool', group, 'ops/s')}`,
    ),
    `Streaming (\`bench/streaming.ts\`): ${perRuntime(results, 'mempool-streaming', streamingSentence)}.`,
    `**Operations** (\`pnpm bench --filter @chunkflow/worker\`, worker processes over PostgreSQL and Redis): ${operationsSentences(get(results, 'node-20', 'operations')).join('; ')}.`,
    ...[runtimeComparison(results)].filter((part): part is string => part !== undefined),
    `Measured (from each file's \`environment\`):\n\n${environmentLines(results).join('\n')}`,
  ];
  return parts.join('\n\n');
}

/** README's figures table, between `<!-- bench:figures:start/end -->`. */
/** Each format: our time per file, and how many times faster than the fastest peer on it. */
function conversionSummary(report: Json): string {
  const results = (Array.isArray(report.results) ? report.results : []).map(asJson);
  const formats = [...new Set(results.map((result) => String(result.format)))];
  return formats
    .map((format) => {
      const ofFormat = results.filter((result) => result.format === format);
      const ours = Number(ofFormat.find((result) => result.converter === 'chunkflow')?.meanMs);
      const fastestPeer = Math.min(
        ...ofFormat
          .filter((result) => result.converter !== 'chunkflow')
          .map((result) => Number(result.meanMs)),
      );
      return `${format.toUpperCase()} ${figure(ours)} ms (${times(fastestPeer / ours)})`;
    })
    .join(', ');
}

export function readmeSection(results: Results): string {
  const row = (what: string, source: string, text: (report: Json) => string) => [
    what,
    ...RUNTIMES.map((runtime) => {
      const report = get(results, runtime, source);
      return report ? text(report) : '—';
    }),
  ];
  const rows = [
    row('recursive chunking, chars (chunkers)', 'chunkers', (report) => {
      const ours = mbs(megabytesPerSecond(find(report, OURS_CHARS)));
      return `${ours}, ${times(ratio('chunkers', report, OURS_CHARS, LANGCHAIN_CHARS))} LangChain`;
    }),
    row('recursive chunking, cl100k tokens (chunkers)', 'chunkers', (report) => {
      const ours = mbs(megabytesPerSecond(find(report, OURS_TOKENS)));
      const floor = times(ratio('chunkers', report, OURS_TOKENS, TOKENIZER_PASS));
      const langchain = times(ratio('chunkers', report, OURS_TOKENS, LANGCHAIN_TOKENS));
      return `${ours}, ${floor} gpt-tokenizer, ${langchain} LangChain`;
    }),
    row('code chunking on source files, cl100k tokens (chunkers)', 'chunkers', (report) => {
      const ours = mbs(megabytesPerSecond(find(report, OURS_CODE_SOURCE)));
      return `${ours}, ${times(ratio('chunkers', report, OURS_CODE_SOURCE, TOKENIZER_PASS))} gpt-tokenizer`;
    }),
    row('500 MB document streamed (chunkers)', 'memory', (report) => {
      const [first] = Array.isArray(report.memory) ? report.memory.map(asJson) : [];
      const result = asJson(first?.result);
      return `${String(result.seconds)} s, peak RSS ${String(result.peakRssMiB)} MiB`;
    }),
    row('cached preview over tRPC (server)', 'serving', (report) => {
      const trpc = rate(perSecond(find(report, SERVING_TRPC)), 'req/s');
      return `${trpc}, ${times(ratio('serving', report, SERVING_TRPC, SERVING_FLOOR))} the floor server`;
    }),
    row('cached preview, 50 connections (server)', 'serving-load', servingLoadSummary),
    row('PDF, DOCX, HTML converted (converters)', 'conversion', conversionSummary),
    row('1M chunks exported as NDJSON (server)', 'export', (report) => {
      const linesPerSecond = (key: string) => Number(asJson(report[key]).linesPerSecond);
      const raw = linesPerSecond('raw');
      return `${rate(raw, 'lines/s')}, ${times(raw / linesPerSecond('floor'))} COPY, server peak RSS ${figure(Number(report.serverPeakAfterRawMb))} MB`;
    }),
    row('pool acquire+release (mempool)', 'mempool', (report) => {
      const measured = benchmarksOf(report).find((b) => b.name === POOL);
      return `${rate(perSecond(measured), 'ops/s')}, ${times(ratio('mempool', report, POOL, POOL_REFERENCE))} the same awaits`;
    }),
    row('apply, 1 and 2 workers (worker)', 'operations', (report) => {
      const apply = Array.isArray(report.apply) ? report.apply.map(asJson) : [];
      return `${apply.map((run) => figure(Number(run.chunksPerSecond))).join(' and ')} chunks/s`;
    }),
    row('a stored chunk, recursive 400/80 chars (worker)', 'storage', (report) => {
      const bytes = (value: unknown) => figure(Number(asJson(value).bytesPerRow));
      const overText = figure(Number(report.chunkTableOverCorpus), 2);
      return `${bytes(report.chunks)} B (×${overText} the text), ${bytes(report.afterRechunk)} B re-chunked`;
    }),
    row('statistics over 1M chunks (worker)', 'operations', (report) => {
      const statistics = asJson(report.statistics);
      const ms = (value: unknown) => figure(Number(asJson(value).medianMs), 2);
      return `${ms(statistics.uncached)} ms, cached ${ms(statistics.cached)} ms`;
    }),
  ];
  const header = ['what (package)', ...RUNTIMES.map((runtime) => LABEL[runtime])];
  return `${table(header, rows)}\n\nGenerated by \`pnpm bench:report\` from \`bench/results/\`; \`pnpm bench --filter @chunkflow/<package>\` runs a row, \`--node 24\` on Node 24. Ratios: ours ÷ a peer (LangChain with js-tiktoken in tokens; for conversion, the fastest of LangChain's and LlamaIndex's loaders, as their time ÷ ours) or a floor measured in the same run; each results file's machine, date and load average are in [docs/performance.md](docs/performance.md#benchmarks).`;
}
