import { z } from 'zod';
import { idSchema } from './pagination.ts';

const tenantSchema = z.string().trim().min(1).max(200).describe('Tenant name, e.g. default');

export const createKeyInputSchema = z.object({
  tenant: tenantSchema.describe('Tenant name; created if it does not exist'),
  label: z.string().trim().min(1).max(200).optional(),
});
export const createdKeySchema = z.object({
  tenant: z.string(),
  apiKey: z.string().describe('The new key: shown this once, only its hash is stored'),
});

export const listKeysInputSchema = z.object({ tenant: tenantSchema });
export const keyRecordSchema = z.object({
  id: z.string(),
  label: z.string().nullable(),
  createdAt: z.date(),
  lastUsedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
});
export const keyListSchema = z.object({ tenant: z.string(), keys: z.array(keyRecordSchema) });

export const revokeKeyInputSchema = z.object({ tenant: tenantSchema, id: idSchema });
export const revokedKeySchema = z.object({ tenant: z.string(), id: z.string(), revoked: z.literal(true) });
