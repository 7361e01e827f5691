// Resident memory of processes on Linux (/proc), for the benchmarks that show it stays flat.
import { readFile } from 'node:fs/promises';

/** A process's resident memory now and its peak (VmHWM), in MB. */
export async function memoryOf(pid: number): Promise<{ rssMb: number; peakMb: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))?.[1] ?? 0);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

export interface ResidentMemory {
  /** The largest sample, MB. */
  sampledMaxRssMb: number;
  /** The largest sample in the first and in the last fifth of the time (flat: the last no higher). */
  firstFifthMaxRssMb: number;
  lastFifthMaxRssMb: number;
}

/**
 * Samples a process's resident memory every `everyMs` until `stop()`, which answers the largest
 * sample and the largest in the first and last fifth of the time sampled. A process gone
 * meanwhile leaves no samples.
 */
export function sampleResidentMemory(pid: number, everyMs = 100): { stop(): ResidentMemory } {
  const samples: { ms: number; rssMb: number }[] = [];
  const started = performance.now();
  const sampler = setInterval(() => {
    const ms = performance.now() - started;
    memoryOf(pid).then(
      ({ rssMb }) => samples.push({ ms, rssMb }),
      () => {},
    );
  }, everyMs);
  return {
    stop() {
      clearInterval(sampler);
      const elapsedMs = performance.now() - started;
      const maxWhere = (keep: (ms: number) => boolean) =>
        Math.round(Math.max(0, ...samples.filter(({ ms }) => keep(ms)).map(({ rssMb }) => rssMb)));
      return {
        sampledMaxRssMb: maxWhere(() => true),
        firstFifthMaxRssMb: maxWhere((ms) => ms <= elapsedMs / 5),
        lastFifthMaxRssMb: maxWhere((ms) => ms >= (elapsedMs * 4) / 5),
      };
    },
  };
}
