import { getPriority, setPriority } from 'node:os';

/**
 * The niceness a worker process runs at (0 is the default, 19 the lowest priority): where it
 * shares cores with a server and PostgreSQL, chunking gets the CPU that serving leaves, so reads
 * answered meanwhile do not queue behind the chunking threads; on a host of its own it changes
 * nothing.
 */
export const WORKER_NICENESS = 10;

/**
 * Lowers the calling thread's priority to WORKER_NICENESS (a process started lower stays lower)
 * and answers the niceness it runs at. On Linux a priority is a thread's own: the threads started
 * after this call (the chunking threads, libuv's pool) inherit it, so the worker calls it before
 * it starts them. Where lowering is refused, the thread keeps the priority it had.
 */
export function runBelowServing(): number {
  try {
    if (getPriority(0) < WORKER_NICENESS) setPriority(0, WORKER_NICENESS);
  } catch {
    // Not allowed here (a sandbox): the worker runs, at the priority it was given.
  }
  return getPriority(0);
}
