import { PrismaPg } from '@prisma/adapter-pg';
import { readReplicas } from '@prisma/extension-read-replicas';
import pg from 'pg';
import type { DbLogger } from './logger.ts';
import { createPrismaClient, type Prisma, type ReadClient } from './prisma-client.ts';
import type { QueryMonitor } from './query-monitor.ts';

export interface ReplicaReads {
  /** Model reads on it go to a randomly picked replica; used only for listing and statistics. */
  reads: ReadClient;
  close(): Promise<void>;
}

/**
 * A replica-extended view of the primary client. Only the repositories' listing and statistics
 * reads use it, so writes, gets and read-after-write paths stay on the primary client.
 */
export function replicaReads(
  primary: Prisma,
  urls: readonly string[],
  monitor: QueryMonitor,
  options: { poolSize?: number | undefined; logger?: DbLogger | undefined },
): ReplicaReads {
  const pools = urls.map((url) => {
    const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
    pool.on('error', (error) => options.logger?.error({ err: error }, 'idle replica connection failed'));
    return pool;
  });
  const replicas = pools.map((pool) => createPrismaClient(new PrismaPg(pool), monitor));
  const extended = primary.$extends(readReplicas({ replicas }));
  // The extension routes model reads in a query hook and adds no model methods, so its model
  // delegates match the primary's; their types differ only in the extension's generic arguments.
  const models = extended as unknown as ReadClient;
  return {
    reads: {
      collection: models.collection,
      document: models.document,
      chunk: models.chunk,
      operation: models.operation,
      preset: models.preset,
      // Raw SQL is not among the reads the extension routes: the statistics SQL picks a replica here.
      $queryRaw: <T = unknown>(query: Parameters<Prisma['$queryRaw']>[0], ...values: unknown[]) =>
        extended.$replica().$queryRaw<T>(query, ...values),
    },
    async close() {
      await Promise.all(replicas.map((replica) => replica.$disconnect()));
      await Promise.all(pools.map((pool) => pool.end()));
    },
  };
}
