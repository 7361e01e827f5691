import { z } from 'zod';

/** Keyset pagination: pass a page's `nextCursor` back as `cursor` for the next one. */
export const pageInputShape = {
  cursor: z.string().min(1).max(512).optional(),
  limit: z.number().int().min(1).max(100).default(20),
};

export function pageOf<Item extends z.ZodType>(item: Item) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const idSchema = z.string().min(1).max(64);

export const jsonObjectSchema = z.record(z.string(), z.json());

export const deletedSchema = z.object({ id: z.string(), deleted: z.literal(true) });
