import type { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client.ts';
import type { QueryMonitor } from './query-monitor.ts';

/** An operation's document plan can hold thousands of ids: read only by the processor, on request. */
const omittedByDefault = { operation: { documentPlan: true } } as const;

export type Prisma = PrismaClient<'query', typeof omittedByDefault>;

/**
 * The models that listing and statistics reads query, and raw SQL for the statistics aggregation
 * Prisma cannot express: a replica-routed client or the primary.
 */
export type ReadClient = Pick<
  Prisma,
  'collection' | 'document' | 'chunk' | 'operation' | 'preset' | '$queryRaw'
>;

/** A Prisma client reporting every statement it executes to the monitor. */
export function createPrismaClient(adapter: PrismaPg, monitor: QueryMonitor): Prisma {
  const client = new PrismaClient({
    adapter,
    log: [{ emit: 'event', level: 'query' }],
    omit: omittedByDefault,
  });
  client.$on('query', (event) => monitor.record(event.query, event.params, event.duration));
  return client;
}
