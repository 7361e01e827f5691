import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiKeyRecord } from '@chunkflow/db';
import { ForbiddenError, NotFoundError, UnauthorizedError } from '@chunkflow/errors';
import type { AuthService } from './auth-service.ts';

const digest = (key: string) => createHash('sha256').update(key).digest();

/**
 * Key management through the API, for the operator's key (ADMIN_API_KEY) only: it belongs to no
 * tenant and opens nothing else, and tenants' keys never open this. So keys can be managed while a
 * server holds the embedded database, which no second process can open.
 */
export class KeyAdminService {
  readonly #auth: AuthService;
  readonly #adminDigest: Buffer | undefined;

  constructor(auth: AuthService, adminApiKey: string | undefined) {
    this.#auth = auth;
    this.#adminDigest = adminApiKey === undefined ? undefined : digest(adminApiKey);
  }

  /** UNAUTHORIZED without a key; FORBIDDEN for any key but the operator's (or when none is set). */
  authorize(apiKey: string | undefined): void {
    if (!apiKey) throw new UnauthorizedError();
    // Digests of equal length, compared in constant time: the key is not guessed byte by byte.
    if (!this.#adminDigest || !timingSafeEqual(digest(apiKey), this.#adminDigest))
      throw new ForbiddenError('Key management needs the operator key (ADMIN_API_KEY)');
  }

  /** A new key for the tenant (created if new), returned once: only its hash is stored. */
  async create(tenant: string, label: string | undefined): Promise<{ tenant: string; apiKey: string }> {
    return { tenant, apiKey: await this.#auth.createApiKey(tenant, label ?? 'created through the API') };
  }

  async list(tenant: string): Promise<{ tenant: string; keys: ApiKeyRecord[] }> {
    const keys = await this.#auth.listApiKeys(tenant);
    if (keys === undefined) throw new NotFoundError('tenant', tenant);
    return { tenant, keys };
  }

  async revoke(tenant: string, id: string): Promise<{ tenant: string; id: string; revoked: true }> {
    if (!(await this.#auth.revokeApiKey(tenant, id))) throw new NotFoundError('active API key', id);
    return { tenant, id, revoked: true };
  }
}
