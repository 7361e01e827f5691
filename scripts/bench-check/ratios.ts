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

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null;
const isFiniteNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/**
 * The convention any bench can follow: a top-level `ratios` array whose rows carry `ratio` and
 * either `name` or `ours` + `peer` (packages/chunkers writes this), optionally `better`.
 */
export function declaredRatios(source: string, report: Json): Ratio[] {
  const rows = Array.isArray(report.ratios) ? report.ratios.filter(isObject) : [];
  return rows.flatMap((row) => {
    const name = typeof row.name === 'string' ? row.name : `${String(row.ours)} vs ${String(row.peer)}`;
    if (!isFiniteNumber(row.ratio)) return [];
    return [
      { name: `${source}: ${name}`, value: row.ratio, better: row.better === 'lower' ? 'lower' : 'higher' },
    ];
  });
}

/** tinybench task rows (packages/mempool): each task's rate against the task named `baseline: …`. */
export function taskRatios(source: string, report: Json): Ratio[] {
  const tasks = Array.isArray(report.tasks) ? report.tasks.filter(isObject) : [];
  const reference = tasks.find((task) => String(task.name).startsWith('baseline:'));
  if (!reference || !isFiniteNumber(reference.opsPerSecond)) return [];
  return tasks
    .filter((task) => task !== reference && isFiniteNumber(task.opsPerSecond))
    .map((task) => ({
      name: `${source}: ${String(task.name)} vs ${String(reference.name)}`,
      value: (task.opsPerSecond as number) / (reference.opsPerSecond as number),
      better: 'higher',
    }));
}

/**
 * packages/mempool streaming: peak RSS while 500 MB stream through the pool, against the RSS before
 * plus one pool: about 1 when streaming stays bounded by the pool, far above when buffers leak.
 */
export function streamingRatios(source: string, report: Json): Ratio[] {
  const streaming = isObject(report.streaming) ? report.streaming : undefined;
  const { peakRssMiB, rssBeforeMiB, poolMiB } = streaming ?? {};
  if (!isFiniteNumber(peakRssMiB) || !isFiniteNumber(rssBeforeMiB) || !isFiniteNumber(poolMiB)) return [];
  return [
    {
      name: `${source}: streaming peak RSS vs RSS before plus the pool`,
      value: peakRssMiB / (rssBeforeMiB + poolMiB),
      better: 'lower',
    },
  ];
}

/** apps/worker operations: statistics speed-ups (in-run references) and scaling from 1 to 2 workers. */
export function operationsRatios(source: string, report: Json): Ratio[] {
  const ratios: Ratio[] = [];
  const statistics = isObject(report.statistics) ? report.statistics : {};
  for (const key of ['naiveOverUncached', 'uncachedOverCached']) {
    const value = statistics[key];
    if (isFiniteNumber(value)) ratios.push({ name: `${source}: statistics ${key}`, value, better: 'higher' });
  }
  const apply = Array.isArray(report.apply) ? report.apply.filter(isObject) : [];
  const rate = (workers: number) => apply.find((run) => run.workers === workers)?.chunksPerSecond;
  const [one, two] = [rate(1), rate(2)];
  if (isFiniteNumber(one) && isFiniteNumber(two) && one > 0) {
    ratios.push({ name: `${source}: apply throughput 2 workers vs 1`, value: two / one, better: 'higher' });
  }
  return ratios;
}

const readers = [declaredRatios, taskRatios, streamingRatios, operationsRatios];

/** Every ratio a results file holds; `source` names it (e.g. `chunkers`). */
export function ratiosOf(source: string, report: unknown): Ratio[] {
  return isObject(report) ? readers.flatMap((read) => read(source, report)) : [];
}
