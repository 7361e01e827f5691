import { isId } from '../ids.ts';
import { afterTimeCursor, newestFirst, timeCursorOf, toPage } from '../pagination.ts';
import type { Prisma, ReadClient } from '../prisma-client.ts';
import type { JsonObject, NewPreset, Page, PageRequest, Preset, PresetUpdate } from '../types.ts';
import { conflictOnDuplicate } from './unique.ts';

export interface PresetRepository {
  /** ConflictError when the tenant already has a preset of that name. */
  create(tenantId: string, input: NewPreset): Promise<Preset>;
  get(tenantId: string, id: string): Promise<Preset | null>;
  getByName(tenantId: string, name: string): Promise<Preset | null>;
  /** Newest first. */
  list(tenantId: string, page: PageRequest): Promise<Page<Preset>>;
  /** Null when absent; ConflictError on a duplicate name. */
  update(tenantId: string, id: string, changes: PresetUpdate): Promise<Preset | null>;
  delete(tenantId: string, id: string): Promise<boolean>;
}

type PresetRow = Omit<Preset, 'config'> & { config: unknown };

function toPreset(row: PresetRow): Preset {
  return { ...row, config: row.config as JsonObject };
}

const duplicateName = (name: string | undefined) => `A config preset named "${name}" already exists`;

/** `reads` serves `list` (a read replica when configured); everything else uses `prisma`. */
export function presetRepository(prisma: Prisma, reads: ReadClient = prisma): PresetRepository {
  return {
    async create(tenantId, input) {
      const row = await conflictOnDuplicate(
        () =>
          prisma.preset.create({
            data: {
              tenantId,
              name: input.name,
              description: input.description ?? null,
              strategy: input.strategy,
              config: input.config,
            },
          }),
        duplicateName(input.name),
      );
      return toPreset(row);
    },

    async get(tenantId, id) {
      if (!isId(id)) return null;
      const row = await prisma.preset.findFirst({ where: { id, tenantId } });
      return row ? toPreset(row) : null;
    },

    async getByName(tenantId, name) {
      const row = await prisma.preset.findUnique({
        where: { tenantId_name: { tenantId, name } },
      });
      return row ? toPreset(row) : null;
    },

    async list(tenantId, { cursor, limit }) {
      const rows = await reads.preset.findMany({
        where: { tenantId, ...afterTimeCursor(cursor) },
        orderBy: newestFirst,
        take: limit + 1,
      });
      return toPage(rows, limit, timeCursorOf, toPreset);
    },

    async update(tenantId, id, changes) {
      if (!isId(id)) return null;
      const rows = await conflictOnDuplicate(
        () =>
          prisma.preset.updateManyAndReturn({
            where: { id, tenantId },
            data: {
              ...(changes.name === undefined ? {} : { name: changes.name }),
              ...(changes.description === undefined ? {} : { description: changes.description }),
              ...(changes.strategy === undefined ? {} : { strategy: changes.strategy }),
              ...(changes.config === undefined ? {} : { config: changes.config }),
            },
          }),
        duplicateName(changes.name),
      );
      const row = rows[0];
      return row ? toPreset(row) : null;
    },

    async delete(tenantId, id) {
      if (!isId(id)) return false;
      const { count } = await prisma.preset.deleteMany({ where: { id, tenantId } });
      return count === 1;
    },
  };
}
