import { ValidationError } from '@chunkflow/errors';
import { isId } from './ids.ts';
import type { Page } from './types.ts';

/** Chunk indexes are PostgreSQL `int`. */
const MAX_CHUNK_INDEX = 2 ** 31 - 1;

/**
 * Keyset pagination: a cursor is the sort key of the last row of a page, opaque to clients
 * (base64url JSON), so pages stay correct while rows are added or removed and each page is one
 * index range scan however deep it is.
 */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeCursor(cursor: string): unknown[] {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key)) return key;
  } catch {
    // fall through to the validation error
  }
  throw new ValidationError('Invalid cursor', { details: { cursor } });
}

function invalidCursor(cursor: string): never {
  throw new ValidationError('Invalid cursor', { details: { cursor } });
}

/**
 * Decodes a `[createdAt ISO, id]` cursor. Only what `timeCursorOf` writes is accepted (a UUID, an
 * ISO time that round-trips, in years PostgreSQL stores): anything else would fail in the query.
 */
export function decodeTimeCursor(cursor: string): { createdAt: Date; id: string } {
  const [createdAt, id] = decodeCursor(cursor);
  if (typeof createdAt !== 'string' || typeof id !== 'string' || !isId(id)) invalidCursor(cursor);
  const date = new Date(createdAt);
  // Years 0000-9999 only (PostgreSQL's range is narrower than JavaScript's ±275,760).
  const fourDigitYear = createdAt.charCodeAt(0) >= 48 && createdAt.charCodeAt(0) <= 57;
  if (Number.isNaN(date.getTime()) || date.toISOString() !== createdAt || !fourDigitYear)
    invalidCursor(cursor);
  return { createdAt: date, id };
}

/** Decodes a `[documentId, chunkIndex]` cursor (a UUID and an `int` index). */
export function decodeChunkCursor(cursor: string): { documentId: string; chunkIndex: number } {
  const [documentId, chunkIndex] = decodeCursor(cursor);
  const validIndex =
    Number.isInteger(chunkIndex) && (chunkIndex as number) >= 0 && (chunkIndex as number) <= MAX_CHUNK_INDEX;
  if (typeof documentId !== 'string' || !isId(documentId) || !validIndex) invalidCursor(cursor);
  return { documentId, chunkIndex: chunkIndex as number };
}

/** Newest first, ties broken by id, so the order is total and matches `afterTimeCursor`. */
export const newestFirst = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];

/** Rows strictly after the cursor in `newestFirst` order. */
export function afterTimeCursor(cursor: string | undefined) {
  if (cursor === undefined) return {};
  const { createdAt, id } = decodeTimeCursor(cursor);
  return { OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: id } }] };
}

export function timeCursorOf(row: { createdAt: Date; id: string }): string {
  return encodeCursor([row.createdAt.toISOString(), row.id]);
}

/** Turns `limit + 1` fetched rows into a page: the extra row only proves there is a next page. */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  cursorOf: (row: Row) => string,
  toItem: (row: Row) => Item,
): Page<Item> {
  const pageRows = rows.slice(0, limit);
  const last = pageRows.at(-1);
  return {
    items: pageRows.map(toItem),
    nextCursor: rows.length > limit && last !== undefined ? cursorOf(last) : null,
  };
}
