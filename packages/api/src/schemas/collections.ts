import { z } from 'zod';
import { pageInputShape, pageOf } from './pagination.ts';

export const collectionIdInputSchema = z.object({ id: z.string().min(1).max(64) });

const jsonObjectSchema = z.record(z.string(), z.json());

export const createCollectionInputSchema = z.object({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).optional(),
  metadata: jsonObjectSchema.optional(),
});

export const collectionSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  metadata: jsonObjectSchema,
  createdAt: z.date(),
  updatedAt: z.date(),
});

export const listCollectionsInputSchema = z.object(pageInputShape);

export const collectionPageSchema = pageOf(collectionSchema);

export const updateCollectionInputSchema = z.object({
  id: z.string().min(1).max(64),
  name: z.string().trim().min(1).max(200).optional(),
  description: z.string().max(2000).nullable().optional(),
  metadata: jsonObjectSchema.optional(),
});
