import type { ApiKeyRecord, Database } from '@chunkflow/db';
import { ConflictError, UnauthorizedError } from '@chunkflow/errors';
import { exceptionTranslator } from '../errors.ts';
import type { AuthenticatedTenant, Logger } from '../ports.ts';
import { generateApiKey, hashApiKey } from './api-keys.ts';
import type { KeyLookups } from './key-lookups.ts';

export const DEFAULT_TENANT = 'default';

export class AuthService {
  readonly #database: Database;
  readonly #logger: Logger;
  readonly #lookups: KeyLookups | undefined;

  /** `lookups`: remembered key lookups, and the channel revocations are announced on. */
  constructor(database: Database, logger: Logger, lookups?: KeyLookups) {
    this.#database = database;
    this.#logger = logger;
    this.#lookups = lookups;
  }

  async authenticate(apiKey: string | undefined): Promise<AuthenticatedTenant> {
    if (!apiKey) throw new UnauthorizedError();
    const hash = hashApiKey(apiKey);
    const known = this.#lookups?.get(hash);
    if (known) return { id: known.tenantId, apiKeyId: known.apiKeyId };
    const generation = this.#lookups?.generation ?? 0;
    const match = await this.#database.tenants.findTenantByKeyHash(hash);
    if (!match) throw new UnauthorizedError('Invalid or revoked API key');
    this.#lookups?.remember(hash, match, generation);
    return { id: match.tenantId, apiKeyId: match.apiKeyId };
  }

  /**
   * Makes sure tenant `default` can be used: with a configured key, that key is registered
   * (stored hashed); without one, a fresh key is created once and returned to be shown once.
   */
  async ensureBootstrapKey(configuredKey: string | undefined): Promise<{ createdKey?: string }> {
    const tenant = await this.#database.tenants.ensureTenant(DEFAULT_TENANT);
    if (configuredKey) {
      const hash = hashApiKey(configuredKey);
      const existing = await this.#database.tenants.findTenantByKeyHash(hash);
      if (!existing) {
        // Servers starting together may each find the key missing: the first insert wins.
        await this.#database.tenants.addApiKey(tenant.id, hash, 'bootstrap').catch((error: unknown) => {
          if (!(exceptionTranslator.translate(error) instanceof ConflictError)) throw error;
        });
      }
      return {};
    }
    if ((await this.#database.tenants.countActiveKeys(tenant.id)) > 0) return {};
    const createdKey = generateApiKey();
    await this.#database.tenants.addApiKey(tenant.id, hashApiKey(createdKey), 'generated at first start');
    this.#logger.info({ tenant: DEFAULT_TENANT }, 'created the first API key of tenant default');
    return { createdKey };
  }

  async createApiKey(tenantName: string, label: string): Promise<string> {
    const tenant = await this.#database.tenants.ensureTenant(tenantName);
    const apiKey = generateApiKey();
    await this.#database.tenants.addApiKey(tenant.id, hashApiKey(apiKey), label);
    return apiKey;
  }

  /** The tenant's keys (never the secrets), oldest first; undefined when there is no such tenant. */
  async listApiKeys(tenantName: string): Promise<ApiKeyRecord[] | undefined> {
    const tenant = await this.#database.tenants.findTenant(tenantName);
    return tenant ? this.#database.tenants.listApiKeys(tenant.id) : undefined;
  }

  /**
   * False when the tenant has no active key with this id. A revoked key is refused at once by every
   * process that announcements reach; the others stop trusting their lookups within their TTL.
   */
  async revokeApiKey(tenantName: string, apiKeyId: string): Promise<boolean> {
    const tenant = await this.#database.tenants.findTenant(tenantName);
    const revoked = tenant ? await this.#database.tenants.revokeApiKey(tenant.id, apiKeyId) : false;
    if (revoked) {
      await this.#lookups?.announceRevocation(apiKeyId).catch((error: unknown) => {
        this.#logger.warn(
          { err: error, apiKeyId },
          'key revoked, but the announcement failed: running servers refuse it once their lookups expire (30 s)',
        );
      });
    }
    return revoked;
  }
}
