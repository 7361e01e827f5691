// CPU time of processes on this machine, from Linux's /proc: on a loaded machine it says what a
// benchmark's work cost where wall time cannot. Plain JS, as the rest of this package.
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * The fields of /proc/<pid>/stat after the command name; undefined once the process is gone.
 * @param {number | string} pid
 */
function statFields(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    return { command: stat.slice(stat.indexOf('(') + 1, close), fields: stat.slice(close + 2).split(' ') };
  } catch {
    return undefined;
  }
}

/**
 * Sum of the given fields after the command name (utime and stime are the 12th and 13th, the
 * waited-for children's cutime and cstime the 14th and 15th), in ticks.
 * @param {string[]} fields
 * @param {number[]} indexes
 */
const ticksOf = (fields, indexes) => indexes.reduce((sum, index) => sum + Number(fields[index]), 0);

/**
 * CPU seconds (user + system, every thread) one process has used so far; undefined when it is
 * gone or there is no /proc.
 * @param {number | string} pid
 */
export function processCpuSeconds(pid) {
  const stat = statFields(pid);
  return stat === undefined ? undefined : ticksOf(stat.fields, [11, 12]) / CLOCK_TICKS_PER_SECOND;
}

/**
 * CPU seconds the processes have used so far, summed; undefined when any is unknown.
 * @param {readonly (number | undefined)[]} pids
 */
export function cpuSecondsOf(pids) {
  let seconds = 0;
  for (const pid of pids) {
    const used = pid === undefined ? undefined : processCpuSeconds(pid);
    if (used === undefined) return undefined;
    seconds += used;
  }
  return seconds;
}

/**
 * CPU seconds PostgreSQL's processes on this machine have used so far (backends, background
 * writers and, through the postmaster's reaped children, backends that have exited); undefined
 * when none is visible (a remote server, or no /proc). Between two readings: what PostgreSQL
 * spent meanwhile, on whatever ran there.
 */
export function postgresCpuSeconds() {
  if (!existsSync('/proc')) return undefined;
  let ticks = 0;
  let seen = false;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = statFields(pid);
    if (stat?.command !== 'postgres') continue;
    seen = true;
    ticks += ticksOf(stat.fields, [11, 12, 13, 14]);
  }
  return seen ? ticks / CLOCK_TICKS_PER_SECOND : undefined;
}

/**
 * Seconds between two readings, or null when either is missing.
 * @param {number | undefined} before
 * @param {number | undefined} after
 */
export const cpuBetween = (before, after) =>
  before === undefined || after === undefined ? null : after - before;
