// The committed benchmark results: bench/results/node-<major>/<source>.json, one folder per
// runtime, each file as a bench wrote it (vitest bench --outputJson, or a script's JSON), with the
// environment it ran in.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

export type Json = Record<string, unknown>;

/** Runtimes the tables have a column for, in order. */
export const RUNTIMES = ['node-20', 'node-24'] as const;
export type Runtime = (typeof RUNTIMES)[number];

/** source (file name without .json) → its report, per runtime. */
export type Results = Record<Runtime, Map<string, Json>>;

export const resultsDir = (root: string) => join(root, 'bench/results');

export function readResults(root: string): Results {
  const read = (runtime: Runtime) => {
    const dir = join(resultsDir(root), runtime);
    const files = existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.json')) : [];
    return new Map(
      files
        .sort()
        .map((name) => [basename(name, '.json'), JSON.parse(readFileSync(join(dir, name), 'utf8'))]),
    );
  };
  return { 'node-20': read('node-20'), 'node-24': read('node-24') };
}

/** The runtime folder a results file belongs in, from the Node version it recorded. */
export function runtimeOf(report: Json): Runtime | undefined {
  const environment = report.environment as Json | undefined;
  const major = /^v(\d+)\./.exec(String(environment?.node))?.[1];
  return RUNTIMES.find((runtime) => runtime === `node-${major}`);
}

/**
 * Copies every package's latest results (`apps/*` and `packages/*` `bench-results/*.json`) into
 * the folder of the runtime that produced it; returns what was copied. Files without an
 * environment (written before it was recorded) are skipped and named.
 */
export function publish(root: string): { copied: string[]; skipped: string[] } {
  const copied: string[] = [];
  const skipped: string[] = [];
  for (const group of ['apps', 'packages']) {
    for (const name of readdirSync(join(root, group))) {
      const dir = join(root, group, name, 'bench-results');
      if (!existsSync(dir)) continue;
      for (const file of readdirSync(dir).filter((entry) => entry.endsWith('.json'))) {
        const from = join(dir, file);
        const runtime = runtimeOf(JSON.parse(readFileSync(from, 'utf8')));
        if (!runtime) {
          skipped.push(from);
          continue;
        }
        mkdirSync(join(resultsDir(root), runtime), { recursive: true });
        copyFileSync(from, join(resultsDir(root), runtime, file));
        copied.push(`${runtime}/${file}`);
      }
    }
  }
  return { copied, skipped };
}
