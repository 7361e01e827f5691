import { isId } from '../ids.ts';
import { afterTimeCursor, newestFirst, timeCursorOf, toPage } from '../pagination.ts';
import type { Prisma, ReadClient } from '../prisma-client.ts';
import type { Collection, CollectionUpdate, JsonObject, NewCollection, Page, PageRequest } from '../types.ts';
import { conflictOnDuplicate } from './unique.ts';

export interface CollectionRepository {
  /** Throws ConflictError when the tenant already has a collection of that name. */
  create(tenantId: string, input: NewCollection): Promise<Collection>;
  get(tenantId: string, id: string): Promise<Collection | null>;
  /** Newest first. */
  list(tenantId: string, page: PageRequest): Promise<Page<Collection>>;
  /** Null when the tenant has no such collection; ConflictError on a duplicate name. */
  update(tenantId: string, id: string, changes: CollectionUpdate): Promise<Collection | null>;
  /** Deletes the collection with its documents, chunks and operations; false when absent. */
  delete(tenantId: string, id: string): Promise<boolean>;
}

type CollectionRow = Omit<Collection, 'metadata'> & { metadata: unknown };

export function toCollection(row: CollectionRow): Collection {
  return { ...row, metadata: row.metadata as JsonObject };
}

const duplicateName = (name: string | undefined) => `A collection named "${name}" already exists`;

/** `reads` serves `list` (a read replica when configured); everything else uses `prisma`. */
export function collectionRepository(prisma: Prisma, reads: ReadClient = prisma): CollectionRepository {
  return {
    async create(tenantId, input) {
      const row = await conflictOnDuplicate(
        () =>
          prisma.collection.create({
            data: {
              tenantId,
              name: input.name,
              description: input.description ?? null,
              metadata: input.metadata ?? {},
            },
          }),
        duplicateName(input.name),
      );
      return toCollection(row);
    },

    async get(tenantId, id) {
      if (!isId(id)) return null;
      const row = await prisma.collection.findFirst({ where: { id, tenantId } });
      return row ? toCollection(row) : null;
    },

    async list(tenantId, { cursor, limit }) {
      const rows = await reads.collection.findMany({
        where: { tenantId, ...afterTimeCursor(cursor) },
        orderBy: newestFirst,
        take: limit + 1,
      });
      return toPage(rows, limit, timeCursorOf, toCollection);
    },

    async update(tenantId, id, changes) {
      if (!isId(id)) return null;
      const rows = await conflictOnDuplicate(
        () =>
          prisma.collection.updateManyAndReturn({
            where: { id, tenantId },
            data: {
              ...(changes.name === undefined ? {} : { name: changes.name }),
              ...(changes.description === undefined ? {} : { description: changes.description }),
              ...(changes.metadata === undefined ? {} : { metadata: changes.metadata }),
            },
          }),
        duplicateName(changes.name),
      );
      const row = rows[0];
      return row ? toCollection(row) : null;
    },

    async delete(tenantId, id) {
      if (!isId(id)) return false;
      // Chunk rows have no key to their collection (see Chunk in schema.prisma): they go first, in
      // one statement on the collection's partition, before the cascade reaches their sets.
      const [, { count }] = await prisma.$transaction([
        prisma.$executeRaw`
          DELETE FROM "chunks" WHERE "collection_id" = ${id}::uuid
            AND EXISTS (SELECT 1 FROM "collections" WHERE "id" = ${id}::uuid AND "tenant_id" = ${tenantId}::uuid)`,
        prisma.collection.deleteMany({ where: { id, tenantId } }),
      ]);
      return count === 1;
    },
  };
}
