import type { PublicError } from '@chunkflow/errors';
import { exceptionTranslator } from '../errors.ts';

/** What became of one item of a bulk request, by its position in the request (from 0). */
export type BulkItemResult =
  | { index: number; name: string; status: 'created'; id: string }
  | { index: number; name: string; status: 'duplicate'; existingDocumentId: string }
  | { index: number; name?: string | undefined; status: 'refused'; error: PublicError };

export interface BulkSummary {
  created: number;
  duplicates: number;
  refused: number;
}

export interface BulkResult extends BulkSummary {
  results: BulkItemResult[];
}

/** An item refused with `error` (anything thrown), in the shape a client sees. */
export function refusedItem(index: number, name: string | undefined, error: unknown): BulkItemResult {
  const translated = exceptionTranslator.translate(error);
  const shown = exceptionTranslator.toPublic(translated);
  // A request refused says when to retry in a header; an item, in its details.
  const refusal =
    translated.retryAfter === undefined
      ? shown
      : { ...shown, details: { ...shown.details, retryAfter: translated.retryAfter } };
  return { index, ...(name === undefined ? {} : { name }), status: 'refused', error: refusal };
}

export function emptySummary(): BulkSummary {
  return { created: 0, duplicates: 0, refused: 0 };
}

/** Adds `results` to `summary` (in place) and returns it. */
export function tally(summary: BulkSummary, results: readonly BulkItemResult[]): BulkSummary {
  for (const result of results) {
    if (result.status === 'created') summary.created += 1;
    else if (result.status === 'duplicate') summary.duplicates += 1;
    else summary.refused += 1;
  }
  return summary;
}
