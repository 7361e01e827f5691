import {
  createdKeySchema,
  createKeyInputSchema,
  keyListSchema,
  listKeysInputSchema,
  revokedKeySchema,
  revokeKeyInputSchema,
} from '../schemas/keys.ts';
import { adminProcedure, router } from '../trpc.ts';

const openapi = (method: 'GET' | 'POST' | 'DELETE', path: `/${string}`) => ({
  openapi: { method, path, tags: ['keys'] },
});

/** Any tenant's API keys, for the operator key (ADMIN_API_KEY) only. */
export const keysRouter = router({
  create: adminProcedure
    .meta(openapi('POST', '/keys'))
    .input(createKeyInputSchema)
    .output(createdKeySchema)
    .mutation(({ ctx, input }) => ctx.services.keyAdmin.create(input.tenant, input.label)),
  list: adminProcedure
    .meta(openapi('GET', '/keys'))
    .input(listKeysInputSchema)
    .output(keyListSchema)
    .query(({ ctx, input }) => ctx.services.keyAdmin.list(input.tenant)),
  revoke: adminProcedure
    .meta(openapi('DELETE', '/keys/{id}'))
    .input(revokeKeyInputSchema)
    .output(revokedKeySchema)
    .mutation(({ ctx, input }) => ctx.services.keyAdmin.revoke(input.tenant, input.id)),
});
