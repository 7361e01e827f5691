/**
 * Speed figures that survive a change of machine: each is a ratio of two timings taken in the same
 * run (ours against a peer library, or against an in-run reference such as a plain allocation),
 * never an absolute time.
 */
export type Better = 'higher' | 'lower';

export interface Ratio {
  /** Stable name, `<results file>: <what> vs <reference>`. */
  name: string;
  value: number;
  better: Better;
}

/** A ratio the results file names but cannot give (a task that errored, a row without a figure). */
export interface Unreadable {
  name: string;
  reason: string;
}

/** What one results file holds: the ratios it gives, and the ones it should have given but cannot. */
export interface Reading {
  ratios: Ratio[];
  unreadable: Unreadable[];
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null;
const isFiniteNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);
const nothing: Reading = { ratios: [], unreadable: [] };

/** A ratio when `value` is a finite number, else the reason it is unreadable. */
function reading(name: string, value: unknown, better: Better, why = 'not a finite number'): Reading {
  return isFiniteNumber(value)
    ? { ratios: [{ name, value, better }], unreadable: [] }
    : { ratios: [], unreadable: [{ name, reason: `${why} (${String(value)})` }] };
}

const merge = (readings: Reading[]): Reading => ({
  ratios: readings.flatMap((one) => one.ratios),
  unreadable: readings.flatMap((one) => one.unreadable),
});

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * The convention any bench can follow: a top-level `ratios` array whose rows carry `ratio` and
 * either `name` or `ours` + `peer` (packages/chunkers writes this), optionally `better`.
 */
export function declaredRatios(source: string, report: Json): Reading {
  const rows = Array.isArray(report.ratios) ? report.ratios.filter(isObject) : [];
  return merge(
    rows.map((row) => {
      const name = typeof row.name === 'string' ? row.name : `${String(row.ours)} vs ${String(row.peer)}`;
      return reading(`${source}: ${name}`, row.ratio, row.better === 'lower' ? 'lower' : 'higher');
    }),
  );
}

/** A benchmark of a `vitest bench --outputJson` file, as far as the ratios need it. */
interface Benchmark {
  name: string;
  /** Runs per second, from the median run (steadier under load than vitest's `hz`, from the mean). */
  rate: number | undefined;
}

const rateOf = ({ median, hz }: Json) =>
  isFiniteNumber(median) && median > 0 ? 1000 / median : isFiniteNumber(hz) ? hz : undefined;

/** Groups measured in rounds, `<group> · round <n>`, are one group measured several times. */
const ROUND = / · round \d+$/;
/** Benchmarks the others of their group are divided by (docs/development.md, "Benchmarks"). */
export const REFERENCE = /^(baseline|floor|peer): /;

/** Each group of each file of a vitest bench report, rounds merged: group name → benchmarks per round. */
function groupsOf(report: Json): Map<string, Benchmark[][]> {
  const files = Array.isArray(report.files) ? report.files.filter(isObject) : [];
  const groups = new Map<string, Benchmark[][]>();
  for (const file of files) {
    for (const group of Array.isArray(file.groups) ? file.groups.filter(isObject) : []) {
      const name = String(group.fullName).replace(ROUND, '');
      const benchmarks = Array.isArray(group.benchmarks) ? group.benchmarks.filter(isObject) : [];
      const rounds = groups.get(name) ?? [];
      rounds.push(benchmarks.map((one) => ({ name: String(one.name), rate: rateOf(one) })));
      groups.set(name, rounds);
    }
  }
  return groups;
}

/**
 * `vitest bench --outputJson` reports (the convention in docs/development.md, "Benchmarks"): in
 * each describe group, every benchmark against every reference of the group, a benchmark named
 * `baseline: …`, `floor: …` or `peer: …`; benchmarks named `compare: …` are for readers and give
 * no ratio. The ratio is the benchmarks' rates divided (higher is better), each rate taken from
 * the median run time where the report has it (vitest's `hz` averages in every disturbed run); a group measured in
 * rounds (`… · round <n>`) gives the median over rounds of each round's ratio, so one disturbed
 * round cannot move it. A benchmark without a finite rate (it errored) makes its ratios unreadable.
 */
export function benchRatios(source: string, report: Json): Reading {
  const readings: Reading[] = [];
  for (const rounds of groupsOf(report).values()) {
    const names = [...new Set(rounds.flat().map((one) => one.name))];
    const references = names.filter((name) => REFERENCE.test(name));
    const subjects = names.filter((name) => !REFERENCE.test(name) && !name.startsWith('compare: '));
    for (const subject of subjects) {
      for (const reference of references) {
        const perRound = rounds.map((benchmarks) => {
          const rate = (name: string) => benchmarks.find((one) => one.name === name)?.rate;
          const [top, bottom] = [rate(subject), rate(reference)];
          return top !== undefined && bottom !== undefined && bottom > 0 ? top / bottom : Number.NaN;
        });
        const value = perRound.every(Number.isFinite) ? median(perRound) : Number.NaN;
        const why = 'a benchmark without a rate (errored, or not run)';
        readings.push(reading(`${source}: ${subject} vs ${reference}`, value, 'higher', why));
      }
    }
  }
  return merge(readings);
}

/**
 * packages/mempool streaming: peak RSS while 500 MB stream through the pool, against the RSS before
 * plus one pool: about 1 when streaming stays bounded by the pool, far above when buffers leak.
 */
export function streamingRatios(source: string, report: Json): Reading {
  if (!isObject(report.streaming)) return nothing;
  const { peakRssMiB, rssBeforeMiB, poolMiB } = report.streaming;
  return reading(
    `${source}: streaming peak RSS vs RSS before plus the pool`,
    Number(peakRssMiB) / (Number(rssBeforeMiB) + Number(poolMiB)),
    'lower',
  );
}

/** apps/worker operations: statistics speed-ups (in-run references) and scaling from 1 to 2 workers. */
export function operationsRatios(source: string, report: Json): Reading {
  const readings: Reading[] = [];
  if (isObject(report.statistics)) {
    const { statistics } = report;
    for (const key of ['naiveOverUncached', 'uncachedOverCached']) {
      readings.push(reading(`${source}: statistics ${key}`, statistics[key], 'higher'));
    }
  }
  if (Array.isArray(report.apply)) {
    const apply = report.apply.filter(isObject);
    const rate = (workers: number) => Number(apply.find((run) => run.workers === workers)?.chunksPerSecond);
    readings.push(reading(`${source}: apply throughput 2 workers vs 1`, rate(2) / rate(1), 'higher'));
  }
  return merge(readings);
}

const readers = [declaredRatios, benchRatios, streamingRatios, operationsRatios];

/** Every ratio a results file holds; `source` names it (e.g. `chunkers`). A file with none is unreadable. */
export function ratiosOf(source: string, report: unknown): Reading {
  const read = isObject(report) ? merge(readers.map((reader) => reader(source, report))) : nothing;
  if (read.ratios.length > 0 || read.unreadable.length > 0) return read;
  return { ratios: [], unreadable: [{ name: source, reason: 'the results file holds no ratios' }] };
}
