import { InvalidConfigError } from '@chunkflow/errors';
import type { ConnectionPolicy } from './client-factory.ts';
import type { RedisLogger } from './logger.ts';
import { judgeMemoryPolicies, type PolicyVerdict, type RoleMemory } from './memory-policy-rules.ts';
import { RedisManager } from './redis-manager.ts';
import { type RedisRole, redisRoles } from './redis-roles.ts';
import { readServerMemory } from './server-memory.ts';

export interface RedisDeploymentOptions {
  /** Each role's Redis URL; roles with the same URL share one manager (one set of connections). */
  urls: Record<RedisRole, string>;
  /** One prefix per deployment; the same under every role. */
  keyPrefix: string;
  logger: RedisLogger;
  policy?: Partial<ConnectionPolicy>;
  /** The setting that names each role's Redis (e.g. an environment variable), for the advice given. */
  settingNames?: Partial<Record<RedisRole, string>>;
}

/**
 * The Redis servers of one deployment, by role (`queue`, `limits`, `cache`): a `RedisManager` per
 * distinct URL, `verify()` to check their memory policies at start-up, `close()` for all.
 */
export class RedisDeployment {
  readonly #managers: Record<RedisRole, RedisManager>;
  readonly #options: RedisDeploymentOptions;

  constructor(options: RedisDeploymentOptions) {
    this.#options = options;
    const byUrl = new Map<string, RedisManager>();
    const managerFor = (url: string) => {
      let manager = byUrl.get(url);
      if (manager === undefined) {
        manager = new RedisManager({
          url,
          keyPrefix: options.keyPrefix,
          logger: options.logger,
          ...(options.policy === undefined ? {} : { policy: options.policy }),
        });
        byUrl.set(url, manager);
      }
      return manager;
    };
    this.#managers = {
      queue: managerFor(options.urls.queue),
      limits: managerFor(options.urls.limits),
      cache: managerFor(options.urls.cache),
    };
  }

  /** BullMQ jobs and progress streams: must not evict. */
  get queue(): RedisManager {
    return this.#managers.queue;
  }

  /** Rate limits and announcements (pub/sub): should not evict. */
  get limits(): RedisManager {
    return this.#managers.limits;
  }

  /** Preview and statistics caches: may evict, bounded. */
  get cache(): RedisManager {
    return this.#managers.cache;
  }

  /** The distinct managers serving these roles. */
  managersOf(roles: readonly RedisRole[]): RedisManager[] {
    return [...new Set(roles.map((role) => this.#managers[role]))];
  }

  /** Connects the roles' clients; DEPENDENCY_UNAVAILABLE when one is not up in time. */
  async waitUntilReady(roles: readonly RedisRole[]): Promise<void> {
    await Promise.all(this.managersOf(roles).map((manager) => manager.waitUntilReady('commands')));
  }

  /**
   * Reads the memory policy of each role's Redis and judges it: throws INVALID_CONFIG when one that
   * must not evict would (the queue), logs the warnings and returns the verdict.
   */
  async verify(roles: readonly RedisRole[]): Promise<PolicyVerdict> {
    const memory: Partial<Record<RedisRole, RoleMemory>> = {};
    await Promise.all(
      roles.map(async (role) => {
        const manager = this.#managers[role];
        memory[role] = {
          description: manager.description,
          settingName: this.#options.settingNames?.[role] ?? `the ${role} Redis URL`,
          servers: await readServerMemory(manager).catch((error: unknown) => ({
            unreadable: error instanceof Error ? error.message : String(error),
          })),
          sameConnectionAs: redisRoles.filter((other) => other !== role && this.#managers[other] === manager),
        };
      }),
    );
    const verdict = judgeMemoryPolicies(memory);
    for (const warning of verdict.warnings) this.#options.logger.warn({ redis: 'memory-policy' }, warning);
    const [refusal] = verdict.refusals;
    if (refusal !== undefined) throw new InvalidConfigError(refusal, this.#options.settingNames?.queue);
    return verdict;
  }

  /** Closes every manager (each once, however many roles it serves). */
  async close(): Promise<void> {
    await Promise.all(this.managersOf(redisRoles).map((manager) => manager.close()));
  }
}
