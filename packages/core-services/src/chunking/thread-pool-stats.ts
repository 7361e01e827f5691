import type { Piscina } from 'piscina';

export interface ThreadPoolStats {
  threads: number;
  queued: number;
  completed: number;
}

/** What a pool of threads is doing, as the metrics report it for each pool. */
export function threadPoolStats(pool: Piscina): ThreadPoolStats {
  return { threads: pool.threads.length, queued: pool.queueSize, completed: pool.completed };
}
