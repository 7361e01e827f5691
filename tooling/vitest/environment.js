// Where and when a benchmark ran, recorded in every results file so a published figure names its
// machine, runtime and how loaded the (shared) machine was. Plain JS: vitest configs load it too.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname } from 'node:path';

/**
 * The machine and runtime as they are now; `loadAverage` is the 1, 5 and 15-minute load average.
 * @returns {import('./environment.d.ts').BenchEnvironment}
 */
export function benchEnvironment() {
  return {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    loadAverage: loadavg().map((load) => Math.round(load * 100) / 100),
  };
}

/**
 * The environment at the start of a run, with the load average and time at its end added.
 * @param {import('./environment.d.ts').BenchEnvironment} started
 */
export function finishedEnvironment(started) {
  const now = benchEnvironment();
  return { ...started, finished: now.date, loadAverageAtEnd: now.loadAverage };
}

/**
 * Writes a script's results file: `{ environment, ...results }`, two-space JSON and a newline.
 * @param {string} path
 * @param {import('./environment.d.ts').BenchEnvironment} started
 * @param {Record<string, unknown>} results
 */
export function writeBenchJson(path, started, results) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(
    path,
    `${JSON.stringify({ environment: finishedEnvironment(started), ...results }, null, 2)}\n`,
  );
}
