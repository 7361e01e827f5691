import { z } from 'zod';
import { chunkingOptionsSchema, strategyNameSchema, withStrategyChoice } from './chunking.ts';
import { idSchema, jsonObjectSchema, pageInputShape, pageOf } from './pagination.ts';

export const presetIdInputSchema = z.object({ id: idSchema });

const presetFieldsSchema = z.object({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).optional(),
  strategy: strategyNameSchema,
  config: chunkingOptionsSchema.optional(),
});

export const createPresetInputSchema = withStrategyChoice(presetFieldsSchema);

/** Any field may change; a config given alone applies to the preset's strategy, so keys stay unpaired. */
export const updatePresetInputSchema = presetIdInputSchema.extend(presetFieldsSchema.partial().shape);

export const listPresetsInputSchema = z.object(pageInputShape);

export const presetSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  strategy: z.string(),
  config: jsonObjectSchema.describe('Normalised config (without strategy)'),
  createdAt: z.date(),
  updatedAt: z.date(),
});

export const presetPageSchema = pageOf(presetSchema);
