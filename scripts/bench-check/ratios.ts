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

/** A task's state when it did not complete (tinybench records `errored` without throwing). */
function failedState(task: Json): string | undefined {
  if (task.state === undefined && isFiniteNumber(task.opsPerSecond)) return undefined;
  const error = typeof task.error === 'string' ? `: ${task.error}` : '';
  return `task ${String(task.state ?? 'without a rate')}${error}`;
}

/**
 * tinybench task rows (packages/mempool): each task's rate against the task named `baseline: …`;
 * tasks named `compare: …` are for readers and give no ratio.
 * Rows measured in interleaved rounds (`opsPerSecondByRound`) give the median over rounds of the
 * round's ratio, so one disturbed round cannot move it.
 */
export function taskRatios(source: string, report: Json): Reading {
  const tasks = Array.isArray(report.tasks) ? report.tasks.filter(isObject) : [];
  if (tasks.length === 0) return nothing;
  const reference = tasks.find((task) => String(task.name).startsWith('baseline:'));
  const others = tasks.filter((task) => task !== reference && !String(task.name).startsWith('compare:'));
  const nameOf = (task: Json) => `${source}: ${String(task.name)} vs ${String(reference?.name)}`;
  const referenceFailure = reference ? failedState(reference) : 'no task named "baseline: …"';
  if (referenceFailure) {
    const reason = `the reference ${referenceFailure}`;
    return { ratios: [], unreadable: others.map((task) => ({ name: nameOf(task), reason })) };
  }
  return merge(
    others.map((task) => {
      const failure = failedState(task);
      if (failure) return { ratios: [], unreadable: [{ name: nameOf(task), reason: failure }] };
      return reading(nameOf(task), roundedRatio(task, reference as Json), 'higher');
    }),
  );
}

function roundedRatio(task: Json, reference: Json): number {
  const rounds = task.opsPerSecondByRound;
  const referenceRounds = reference.opsPerSecondByRound;
  if (Array.isArray(rounds) && Array.isArray(referenceRounds) && rounds.length === referenceRounds.length) {
    return median(rounds.map((rate, round) => Number(rate) / Number(referenceRounds[round])));
  }
  return (task.opsPerSecond as number) / (reference.opsPerSecond as number);
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

const readers = [declaredRatios, taskRatios, streamingRatios, operationsRatios];

/** Every ratio a results file holds; `source` names it (e.g. `chunkers`). A file with none is unreadable. */
export function ratiosOf(source: string, report: unknown): Reading {
  const read = isObject(report) ? merge(readers.map((reader) => reader(source, report))) : nothing;
  if (read.ratios.length > 0 || read.unreadable.length > 0) return read;
  return { ratios: [], unreadable: [{ name: source, reason: 'the results file holds no ratios' }] };
}
