import { isUniqueViolation } from '../errors.ts';
import { isId } from '../ids.ts';
import type { Prisma } from '../prisma-client.ts';
import type { ApiKeyOwner, ApiKeyRecord, Tenant } from '../types.ts';

export interface TenantRepository {
  /** The tenant of that name, created if it does not exist yet (safe under concurrency). */
  ensureTenant(name: string): Promise<Tenant>;
  /** The tenant of that name, or null (never creates one). */
  findTenant(name: string): Promise<Tenant | null>;
  /** Every key of the tenant, oldest first, revoked ones included (the hash is never returned). */
  listApiKeys(tenantId: string): Promise<ApiKeyRecord[]>;
  /** The owner of an active (not revoked) key with this hash; records its use (per minute). */
  findTenantByKeyHash(hash: string): Promise<ApiKeyOwner | null>;
  addApiKey(tenantId: string, hash: string, label?: string): Promise<ApiKeyRecord>;
  /** False when the key does not exist for this tenant or was already revoked. */
  revokeApiKey(tenantId: string, apiKeyId: string): Promise<boolean>;
  countActiveKeys(tenantId: string): Promise<number>;
}

/** How stale `lastUsedAt` may get before a use is written. */
const LAST_USED_RESOLUTION_MS = 60_000;

const apiKeyFields = {
  id: true,
  tenantId: true,
  label: true,
  createdAt: true,
  revokedAt: true,
  lastUsedAt: true,
} as const;

export function tenantRepository(prisma: Prisma): TenantRepository {
  return {
    async ensureTenant(name) {
      // Prisma runs this upsert as a read then an insert: when two processes start at once, the
      // slower insert hits the unique name and the row the faster one made is read instead.
      const row = await prisma.tenant
        .upsert({ where: { name }, create: { name }, update: {} })
        .catch(async (error: unknown) => {
          if (!isUniqueViolation(error)) throw error;
          return prisma.tenant.findUniqueOrThrow({ where: { name } });
        });
      return { id: row.id, name: row.name, createdAt: row.createdAt };
    },

    async findTenant(name) {
      const row = await prisma.tenant.findUnique({ where: { name } });
      return row ? { id: row.id, name: row.name, createdAt: row.createdAt } : null;
    },

    listApiKeys: (tenantId) =>
      prisma.apiKey.findMany({ where: { tenantId }, select: apiKeyFields, orderBy: { createdAt: 'asc' } }),

    async findTenantByKeyHash(hash) {
      const key = await prisma.apiKey.findFirst({
        where: { hash, revokedAt: null },
        select: { id: true, tenantId: true, lastUsedAt: true },
      });
      if (!key) return null;
      const now = new Date();
      // Recording every use would turn each authenticated request into a write.
      if (key.lastUsedAt === null || now.getTime() - key.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
        await prisma.apiKey.update({
          where: { id: key.id },
          data: { lastUsedAt: now },
          select: { id: true },
        });
      }
      return { tenantId: key.tenantId, apiKeyId: key.id };
    },

    addApiKey: (tenantId, hash, label) =>
      prisma.apiKey.create({ data: { tenantId, hash, label: label ?? null }, select: apiKeyFields }),

    async revokeApiKey(tenantId, apiKeyId) {
      if (!isId(apiKeyId) || !isId(tenantId)) return false;
      const { count } = await prisma.apiKey.updateMany({
        where: { id: apiKeyId, tenantId, revokedAt: null },
        data: { revokedAt: new Date() },
      });
      return count === 1;
    },

    countActiveKeys: (tenantId) => prisma.apiKey.count({ where: { tenantId, revokedAt: null } }),
  };
}
