import { Cluster, type Redis } from 'ioredis';
import type { RedisManager } from './redis-manager.ts';

/** What a Redis server says about its memory, and which server it is. */
export interface ServerMemory {
  /** Unique per server process: two URLs naming one server give the same id. */
  runId: string;
  /** `maxmemory-policy`, e.g. `noeviction`, `allkeys-lru`. */
  policy: string;
  /** `maxmemory`; 0 means unbounded. */
  maxmemoryBytes: number;
}

/** The fields of an INFO reply (`key:value` lines under `# Section` headers). */
export function infoFields(reply: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of reply.split('\n')) {
    const separator = line.indexOf(':');
    if (line.startsWith('#') || separator < 0) continue;
    fields.set(line.slice(0, separator), line.slice(separator + 1).trim());
  }
  return fields;
}

async function readOne(server: Redis): Promise<ServerMemory> {
  // INFO rather than CONFIG GET: managed services often disable CONFIG, never INFO.
  const fields = infoFields(`${await server.info('server')}\n${await server.info('memory')}`);
  const policy = fields.get('maxmemory_policy');
  const runId = fields.get('run_id');
  if (policy === undefined || runId === undefined) {
    throw new Error('INFO did not report run_id and maxmemory_policy');
  }
  return { runId, policy, maxmemoryBytes: Number(fields.get('maxmemory') ?? 0) };
}

/** The memory settings of every server a manager writes to: one, or each master of a Cluster. */
export async function readServerMemory(redis: RedisManager): Promise<ServerMemory[]> {
  const client = redis.commands();
  const servers: Redis[] = client instanceof Cluster ? client.nodes('master') : [client];
  return Promise.all(servers.map(readOne));
}
