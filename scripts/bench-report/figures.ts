// Figures read back out of results files: a benchmark's runs per second and MB/s from its median
// run, and ratios exactly as `pnpm bench:check` reads them (scripts/bench-check/ratios.ts).
import { median, ratiosOf } from '../bench-check/ratios.ts';
import type { Json } from './results.ts';

export interface Measured {
  /** The describe group, without the file and without ` · round <n>`. */
  group: string;
  name: string;
  /** Median run time in milliseconds (over rounds: the median of the rounds' medians). */
  medianMs: number;
}

const objects = (value: unknown): Json[] =>
  Array.isArray(value) ? value.filter((item): item is Json => typeof item === 'object' && item !== null) : [];

/** Every benchmark of a `vitest bench --outputJson` report, rounds of a group merged. */
export function benchmarksOf(report: Json | undefined): Measured[] {
  const byKey = new Map<string, { group: string; name: string; medians: number[] }>();
  for (const file of objects(report?.files)) {
    for (const group of objects(file.groups)) {
      const name = String(group.fullName)
        .split(' > ')
        .slice(1)
        .join(' > ')
        .replace(/ · round \d+$/, '');
      for (const benchmark of objects(group.benchmarks)) {
        const key = `${name}\n${String(benchmark.name)}`;
        const entry = byKey.get(key) ?? { group: name, name: String(benchmark.name), medians: [] };
        entry.medians.push(Number(benchmark.median));
        byKey.set(key, entry);
      }
    }
  }
  return [...byKey.values()].map(({ group, name, medians }) => ({ group, name, medianMs: median(medians) }));
}

export const perSecond = (measured: Measured | undefined) =>
  measured === undefined ? undefined : 1000 / measured.medianMs;

/** Bytes of the text a group's benchmarks chunk, from the group's name (`… on 2,102,738 bytes`). */
export function bytesOf(measured: Measured | undefined): number | undefined {
  const digits = measured && /on ([\d,]+) bytes/.exec(measured.group)?.[1];
  return digits ? Number(digits.replaceAll(',', '')) : undefined;
}

/** MB/s (10^6 bytes of UTF-8 per second) of a chunking benchmark. */
export function megabytesPerSecond(measured: Measured | undefined): number | undefined {
  const bytes = bytesOf(measured);
  const rate = perSecond(measured);
  return bytes === undefined || rate === undefined ? undefined : (bytes / 1e6) * rate;
}

/** The first benchmark of this name whose group's name starts with `groupPrefix`. */
export function find(report: Json | undefined, name: string, groupPrefix = ''): Measured | undefined {
  return benchmarksOf(report).find((one) => one.name === name && one.group.startsWith(groupPrefix));
}

/** A ratio as bench:check reads it (`<subject> vs <reference>`), or undefined. */
export function ratio(source: string, report: Json | undefined, subject: string, reference: string) {
  if (!report) return undefined;
  const wanted = `${source}: ${subject} vs ${reference}`;
  return ratiosOf(source, report).ratios.find((one) => one.name === wanted)?.value;
}
