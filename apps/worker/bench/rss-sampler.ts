import { readFileSync } from 'node:fs';

/** Resident memory of a process in MiB, from /proc (Linux). */
function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? Number.NaN);
  return kib / 1024;
}

export interface RssSummary {
  /** At the end of the run's first quarter: warmed up (threads, connections, code), past start-up. */
  afterFirstQuarterMiB: number;
  peakMiB: number;
  lastMiB: number;
  samples: number;
}

/** Samples processes' RSS every `everyMs` until stopped; `summary` splits the run in quarters. */
export function sampleRss(pids: Record<string, number>, everyMs = 200) {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(pids).map((name) => [name, []]));
  const timer = setInterval(() => {
    for (const [name, pid] of Object.entries(pids)) {
      try {
        samples[name]?.push(rssMiB(pid));
      } catch {
        // The process has exited: nothing more to sample.
      }
    }
  }, everyMs);
  return {
    stop(): Record<string, RssSummary> {
      clearInterval(timer);
      return Object.fromEntries(
        Object.entries(samples).map(([name, values]) => [
          name,
          {
            afterFirstQuarterMiB: values[Math.floor(values.length / 4)] ?? Number.NaN,
            peakMiB: Math.max(...values),
            lastMiB: values.at(-1) ?? Number.NaN,
            samples: values.length,
          },
        ]),
      );
    },
  };
}
