import type { Database, NewDocument } from '@chunkflow/db';
import { DocumentTooLargeError, ValidationError } from '@chunkflow/errors';
import type { RequestLimiter } from '../limits/request-limiter.ts';
import type { AuthenticatedTenant } from '../ports.ts';
import type { StatisticsService } from '../statistics/statistics-service.ts';
import { type BulkItemResult, refusedItem } from './bulk-results.ts';
import type { NewDocumentInput } from './document-inputs.ts';

const DEFAULT_CONTENT_TYPE = 'text/plain';

/** One item of a batch: the document to store, or why it cannot be (a bad line, a failed conversion). */
export type BatchItem =
  | { index: number; name: string; document: NewDocumentInput }
  | { index: number; name?: string | undefined; error: unknown };

export interface BatchStoreDependencies {
  database: Database;
  statistics: StatisticsService;
  /** Counts each stored item against its key's `documents` budget. */
  limiter: Pick<RequestLimiter, 'admitUpTo'>;
  /** Largest document, in bytes of UTF-8. */
  maxBytes: number;
}

/** A document as the repository stores it: a text without a declared type is plain text. */
export function storedForm(input: NewDocumentInput): NewDocument {
  return {
    name: input.name,
    contentType: input.contentType ?? DEFAULT_CONTENT_TYPE,
    content: input.content,
    ...(input.metadata ? { metadata: input.metadata } : {}),
    ...(input.source ? { source: input.source } : {}),
  };
}

/** Why a document cannot be stored, checked before the batch's one insert (which one bad row would fail). */
function refusalOf(document: NewDocumentInput, maxBytes: number): Error | undefined {
  const sizeBytes = Buffer.byteLength(document.content, 'utf8');
  if (sizeBytes > maxBytes) return new DocumentTooLargeError(sizeBytes, maxBytes);
  // PostgreSQL text cannot hold U+0000.
  if (document.content.includes('\u0000')) {
    return new ValidationError('The document contains NUL characters, which text cannot hold', {
      details: { field: 'content' },
    });
  }
  return undefined;
}

/**
 * Stores a batch's items in one multi-row insert and answers each, in order: created, duplicate
 * of a document the collection holds (by content hash), or refused with its typed error. Items
 * past the key's `documents` budget are refused with RATE_LIMITED (and when to retry); the
 * others are stored. The collection's cached statistics are dropped when anything was stored.
 */
export async function storeBatch(
  dependencies: BatchStoreDependencies,
  tenant: AuthenticatedTenant,
  collectionId: string,
  items: readonly BatchItem[],
): Promise<BulkItemResult[]> {
  const results: BulkItemResult[] = new Array(items.length);
  const storable: { position: number; index: number; name: string; document: NewDocumentInput }[] = [];
  items.forEach((item, position) => {
    const problem = 'error' in item ? item.error : refusalOf(item.document, dependencies.maxBytes);
    if (problem !== undefined) results[position] = refusedItem(item.index, item.name, problem);
    else if ('document' in item) storable.push({ position, ...item });
  });
  const { granted, refusal } = await dependencies.limiter.admitUpTo(
    tenant.apiKeyId,
    'documents',
    storable.length,
  );
  for (const item of storable.slice(granted)) {
    results[item.position] = refusedItem(item.index, item.name, refusal);
  }
  const admitted = storable.slice(0, granted);
  const stored = await dependencies.database.documents.createMany(
    tenant.id,
    collectionId,
    admitted.map((item) => storedForm(item.document)),
  );
  admitted.forEach((item, i) => {
    const outcome = stored[i];
    const { index, name } = item;
    results[item.position] =
      outcome?.status === 'created'
        ? { index, name, status: 'created', id: outcome.document.id }
        : { index, name, status: 'duplicate', existingDocumentId: outcome?.existingDocumentId ?? '' };
  });
  if (stored.some((outcome) => outcome.status === 'created')) {
    await dependencies.statistics.invalidate(tenant.id, collectionId);
  }
  return results;
}
