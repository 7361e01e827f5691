import type { DocumentDescription } from '@chunkflow/core-services';
import { z } from 'zod';

const isAsyncIterable = (value: unknown): value is AsyncIterable<Uint8Array> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;

/** An upload as the server's route hands it over: described, and its body still arriving. */
export const uploadInputSchema = z.object({
  collectionId: z.string(),
  document: z.custom<DocumentDescription>((value) => typeof value === 'object' && value !== null),
  /** The request body as it arrives: never buffered whole. */
  body: z.custom<AsyncIterable<Uint8Array>>(isAsyncIterable),
  /** The body's declared length, when the client declared one. */
  declaredBytes: z.number().int().nonnegative().optional(),
});
