import { getPriority, setPriority } from 'node:os';

/**
 * Lowers the calling thread's priority to `niceness` (0 normal, 19 lowest; a process started lower
 * stays lower) and answers the niceness it runs at. Where a worker shares cores with a server and
 * PostgreSQL, chunking then gets the CPU that serving leaves, so reads answered meanwhile do not
 * queue behind the chunking threads; on a host of its own it changes nothing. On Linux a priority
 * is a thread's own: the threads started after this call (the chunking threads, libuv's pool)
 * inherit it, so the worker calls it before it starts them. Where lowering is refused, the thread
 * keeps the priority it had.
 */
export function runBelowServing(niceness: number): number {
  try {
    if (getPriority(0) < niceness) setPriority(0, niceness);
  } catch {
    // Not allowed here (a sandbox): the worker runs, at the priority it was given.
  }
  return getPriority(0);
}
