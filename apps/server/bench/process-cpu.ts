import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const CLOCK_TICKS_PER_SECOND = 100;

/** The fields of /proc/<pid>/stat after the command name; undefined once the process is gone. */
function statFields(pid: number | string): { command: string; fields: string[] } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    return { command: stat.slice(stat.indexOf('(') + 1, close), fields: stat.slice(close + 2).split(' ') };
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds (user + system, every thread) the processes have used so far, from Linux's /proc;
 * undefined elsewhere. On a loaded machine it says what the work cost where wall time cannot.
 */
export function cpuSecondsOf(pids: readonly (number | undefined)[]): number | undefined {
  let ticks = 0;
  for (const pid of pids) {
    const stat = pid === undefined ? undefined : statFields(pid);
    if (!stat) return undefined;
    // utime and stime are the 12th and 13th fields after the command name.
    ticks += Number(stat.fields[11]) + Number(stat.fields[12]);
  }
  return ticks / CLOCK_TICKS_PER_SECOND;
}

/**
 * CPU seconds PostgreSQL's processes on this machine have used so far (backends, background
 * writers and, through the postmaster's reaped children, backends that have exited); undefined
 * when none is visible (a remote server, or no /proc). Between two readings: what PostgreSQL
 * spent meanwhile, on whatever ran there.
 */
export function postgresCpuSeconds(): number | undefined {
  if (!existsSync('/proc')) return undefined;
  let ticks = 0;
  let seen = false;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = statFields(pid);
    if (stat?.command !== 'postgres') continue;
    seen = true;
    // utime, stime, and the waited-for children's cutime and cstime (fields 12–15).
    ticks += [11, 12, 13, 14].reduce((sum, field) => sum + Number(stat.fields[field]), 0);
  }
  return seen ? ticks / CLOCK_TICKS_PER_SECOND : undefined;
}

/** Seconds between two readings, or null when either is missing. */
export const cpuBetween = (before: number | undefined, after: number | undefined): number | null =>
  before === undefined || after === undefined ? null : after - before;
