import { deletedSchema } from '../schemas/pagination.ts';
import {
  createPresetInputSchema,
  listPresetsInputSchema,
  presetIdInputSchema,
  presetPageSchema,
  presetSchema,
  updatePresetInputSchema,
} from '../schemas/presets.ts';
import { authedProcedure, router } from '../trpc.ts';

const openapi = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: `/${string}`) => ({
  openapi: { method, path, tags: ['configs'] },
});

/** Saved chunking config presets of the caller's tenant. */
export const presetsRouter = router({
  create: authedProcedure
    .meta(openapi('POST', '/configs'))
    .input(createPresetInputSchema)
    .output(presetSchema)
    .mutation(({ ctx, input }) => ctx.services.presets.create(ctx.tenant, input)),
  list: authedProcedure
    .meta(openapi('GET', '/configs'))
    .input(listPresetsInputSchema)
    .output(presetPageSchema)
    .query(({ ctx, input }) => ctx.services.presets.list(ctx.tenant, input)),
  get: authedProcedure
    .meta(openapi('GET', '/configs/{id}'))
    .input(presetIdInputSchema)
    .output(presetSchema)
    .query(({ ctx, input }) => ctx.services.presets.get(ctx.tenant, input.id)),
  update: authedProcedure
    .meta(openapi('PATCH', '/configs/{id}'))
    .input(updatePresetInputSchema)
    .output(presetSchema)
    .mutation(({ ctx, input }) => ctx.services.presets.update(ctx.tenant, input.id, input)),
  delete: authedProcedure
    .meta(openapi('DELETE', '/configs/{id}'))
    .input(presetIdInputSchema)
    .output(deletedSchema)
    .mutation(({ ctx, input }) => ctx.services.presets.delete(ctx.tenant, input.id)),
});
