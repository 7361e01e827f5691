import type { RedisRole } from './redis-roles.ts';
import type { ServerMemory } from './server-memory.ts';

/** What was learnt about one role's Redis at start-up. */
export interface RoleMemory {
  /** Where it is, without credentials. */
  description: string;
  /** The setting that points this role at its Redis, named in the advice. */
  settingName: string;
  /** Its servers' memory settings, or why they could not be read. */
  servers: ServerMemory[] | { unreadable: string };
  /** Roles known to share this role's connection (same URL). */
  sameConnectionAs: RedisRole[];
}

export interface PolicyVerdict {
  /** Reasons not to start: a role that must not evict would. */
  refusals: string[];
  /** Reasons to tell the operator: the deployment runs, but a guarantee is weaker or memory unbounded. */
  warnings: string[];
}

const evicts = (server: ServerMemory) => server.policy !== 'noeviction';

function sharedServer(a: RoleMemory, b: RoleMemory, bRole: RedisRole): boolean {
  if (a.sameConnectionAs.includes(bRole)) return true;
  if (!Array.isArray(a.servers) || !Array.isArray(b.servers)) return false;
  const ids = new Set(a.servers.map((server) => server.runId));
  return b.servers.some((server) => ids.has(server.runId));
}

function policies(servers: ServerMemory[], which: (server: ServerMemory) => boolean): string {
  return [...new Set(servers.filter(which).map((server) => server.policy))].join(', ');
}

function judgeQueue(queue: RoleMemory, verdict: PolicyVerdict): void {
  if (!Array.isArray(queue.servers)) {
    verdict.warnings.push(
      `Could not read the queue Redis's maxmemory-policy (${queue.description}: ${queue.servers.unreadable}); it must be noeviction, or queued jobs and progress events can be evicted`,
    );
    return;
  }
  if (queue.servers.some(evicts)) {
    verdict.refusals.push(
      `The queue Redis (${queue.description}) has maxmemory-policy ${policies(queue.servers, evicts)}: it would evict queued jobs and progress events. Set maxmemory-policy noeviction on it (redis.conf, or CONFIG SET maxmemory-policy noeviction), or point ${queue.settingName} at a Redis that does not evict.`,
    );
  }
}

function judgeLimits(limits: RoleMemory, verdict: PolicyVerdict): void {
  if (Array.isArray(limits.servers) && limits.servers.some(evicts)) {
    verdict.warnings.push(
      `The limits Redis (${limits.description}) has maxmemory-policy ${policies(limits.servers, evicts)}: an evicted rate-limit window lets a key past its limit. Prefer noeviction (${limits.settingName}).`,
    );
  }
}

function judgeCache(roles: Partial<Record<RedisRole, RoleMemory>>, verdict: PolicyVerdict): void {
  const { cache } = roles;
  if (cache === undefined) return;
  const sharing = (['queue', 'limits'] as const).filter((role) => {
    const other = roles[role];
    return other !== undefined && sharedServer(cache, other, role);
  });
  if (sharing.length > 0) {
    verdict.warnings.push(
      `The cache Redis is also the ${sharing.join(' and ')} Redis (${cache.description}): previews (tens of KB each, kept 30 minutes) can fill it, and then under noeviction every write fails (${sharing.includes('queue') ? 'job enqueues and progress events included' : 'rate-limit windows included'}), under an evicting policy they push out ${sharing.includes('queue') ? 'queued jobs' : 'rate-limit windows'}. Point ${cache.settingName} at a Redis of its own with maxmemory and maxmemory-policy allkeys-lru.`,
    );
    return;
  }
  if (!Array.isArray(cache.servers)) return;
  if (cache.servers.some((server) => !evicts(server))) {
    verdict.warnings.push(
      `The cache Redis (${cache.description}) has maxmemory-policy noeviction: once full, cache writes fail and previews are computed every time. Use allkeys-lru.`,
    );
  }
  if (cache.servers.some((server) => server.maxmemoryBytes === 0)) {
    verdict.warnings.push(
      `The cache Redis (${cache.description}) has no maxmemory: the preview cache grows until the host runs out of memory. Set maxmemory (and allkeys-lru).`,
    );
  }
}

/**
 * Judges the memory policies of a deployment's Redis roles (those the process uses): a queue that
 * may evict is refused (BullMQ's production guide requires noeviction); a cache that shares the
 * queue's or limits' server, is unbounded or cannot evict is warned about, as is a limits Redis
 * that evicts.
 */
export function judgeMemoryPolicies(roles: Partial<Record<RedisRole, RoleMemory>>): PolicyVerdict {
  const verdict: PolicyVerdict = { refusals: [], warnings: [] };
  if (roles.queue) judgeQueue(roles.queue, verdict);
  if (roles.limits) judgeLimits(roles.limits, verdict);
  judgeCache(roles, verdict);
  return verdict;
}
