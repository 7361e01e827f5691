import { setImmediate as nextTurn } from 'node:timers/promises';
import { ValidationError } from '@chunkflow/errors';
import type { AuthenticatedTenant } from '../ports.ts';
import { BULK_LIMITS } from './bulk-limits.ts';
import { type BulkItemResult, type BulkSummary, emptySummary, tally } from './bulk-results.ts';
import { type BatchItem, type BatchStoreDependencies, storeBatch } from './document-batch.ts';
import { documentFromFile, type FileConverter } from './file-conversion.ts';
import { type ImportItem, importItemOf } from './import-items.ts';
import { bodyLines } from './import-lines.ts';

/** Items stored per insert, and the bytes of files held before they are: a batch's bounds. */
const GROUP_ITEMS = 200;
const GROUP_BYTES = 16 * 1024 * 1024;
/** Files of a batch converted at once (text and markdown convert inline; the others queue for threads). */
const CONVERSIONS_AT_ONCE = 4;

export interface ImportDependencies extends BatchStoreDependencies {
  converter: FileConverter;
  conversionTimeoutMs?: number | undefined;
}

/** Receives each item's result, in order, as its batch is stored. */
export type ImportResultSink = (results: readonly BulkItemResult[]) => void;

/**
 * Imports an NDJSON body of files (see importItemOf) into a collection, batch by batch as it
 * arrives: each batch's files are converted exactly as uploads are, then stored in one insert,
 * and their results handed to `emit` before the next batch is read. Memory holds one line (at
 * most BULK_LIMITS.maxImportLineBytes) and one batch. More than BULK_LIMITS.maxImportItems items
 * end the import with VALIDATION_ERROR (what was stored before stays); so does a failure to store.
 */
export async function importDocuments(
  dependencies: ImportDependencies,
  tenant: AuthenticatedTenant,
  collectionId: string,
  body: AsyncIterable<Uint8Array>,
  emit: ImportResultSink,
): Promise<BulkSummary> {
  const summary = emptySummary();
  let group: ImportItem[] = [];
  let groupBytes = 0;
  const flush = async () => {
    const results = await storeBatch(
      dependencies,
      tenant,
      collectionId,
      await converted(dependencies, group),
    );
    tally(summary, results);
    emit(results);
    group = [];
    groupBytes = 0;
  };
  let index = 0;
  for await (const line of bodyLines(body, BULK_LIMITS.maxImportLineBytes)) {
    if (index === BULK_LIMITS.maxImportItems) {
      if (group.length > 0) await flush();
      throw new ValidationError(
        `An import takes at most ${BULK_LIMITS.maxImportItems} items; send the rest in another request`,
        { details: { field: 'body', limit: BULK_LIMITS.maxImportItems } },
      );
    }
    const item = importItemOf(line, index, BULK_LIMITS.maxImportLineBytes);
    index += 1;
    group.push(item);
    groupBytes += 'bytes' in item ? item.bytes.byteLength : 0;
    if (group.length === GROUP_ITEMS || groupBytes >= GROUP_BYTES) await flush();
  }
  if (group.length > 0) await flush();
  return summary;
}

/** The group's files converted (a few at a time), each to its document or its refusal. */
async function converted(
  dependencies: ImportDependencies,
  group: readonly ImportItem[],
): Promise<BatchItem[]> {
  const items: BatchItem[] = new Array(group.length);
  let next = 0;
  const convertNext = async (): Promise<void> => {
    for (let position = next++; position < group.length; position = next++) {
      const item = group[position] as ImportItem;
      if (!('bytes' in item)) {
        items[position] = item;
        continue;
      }
      // Text and small markdown convert inline, in microtasks: a turn of the event loop between
      // files keeps a batch of them from holding it (other requests, /healthz) for its whole length.
      await nextTurn();
      try {
        const document = await documentFromFile(
          dependencies.converter,
          item.bytes,
          item.description,
          dependencies.conversionTimeoutMs,
        );
        items[position] = { index: item.index, name: item.name, document };
      } catch (error) {
        items[position] = { index: item.index, name: item.name, error };
      }
    }
  };
  await Promise.all(Array.from({ length: CONVERSIONS_AT_ONCE }, convertNext));
  return items;
}
