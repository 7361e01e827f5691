import { DocumentTooLargeError, ValidationError } from '@chunkflow/errors';
import { z } from 'zod';
import type { DocumentDescription } from './document-inputs.ts';
import type { BodyLine } from './import-lines.ts';

/** Nesting a line's `metadata` may have (the upload route's own bound). */
const MAX_METADATA_DEPTH = 32;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * One import line: a file, given as `base64` (any type the converters take) or as `text` (UTF-8),
 * with its name, optional declared type and metadata. Unknown keys are refused, as everywhere.
 */
const importLineSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(500),
    contentType: z.string().min(1).max(200).optional(),
    metadata: z.record(z.string(), z.json()).optional(),
    text: z.string().optional(),
    base64: z.string().regex(BASE64, 'base64 must be standard base64').optional(),
  })
  .refine((line) => (line.text === undefined) !== (line.base64 === undefined), {
    message: 'an import line carries exactly one of text and base64',
  });

/** A file read from a line, or why the line cannot be one; `name` when the line gave one. */
export type ImportItem =
  | { index: number; name: string; description: DocumentDescription; bytes: Uint8Array }
  | { index: number; name?: string | undefined; error: unknown };

/** The `index`-th item of an import body, from its line. Never throws: a bad line is an item refused. */
export function importItemOf(line: BodyLine, index: number, maxLineBytes: number): ImportItem {
  if ('tooLongBytes' in line) {
    return { index, error: new DocumentTooLargeError(line.tooLongBytes, maxLineBytes) };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(line.bytes.toString('utf8'));
  } catch (cause) {
    return { index, error: new ValidationError(`Line ${index + 1} is not valid JSON`, { cause }) };
  }
  const name = nameOf(parsed);
  if (exceedsDepth(parsed, MAX_METADATA_DEPTH + 1)) {
    return {
      index,
      name,
      error: new ValidationError(`metadata is nested deeper than ${MAX_METADATA_DEPTH} levels`, {
        details: { field: 'metadata' },
      }),
    };
  }
  const result = importLineSchema.safeParse(parsed);
  if (!result.success) return { index, name, error: result.error };
  const { text, base64, ...description } = result.data;
  // Copied into an array of its own: a small Buffer shares Node's pool, and conversion may move
  // the bytes' whole buffer to a thread.
  const bytes = new Uint8Array(
    text === undefined ? Buffer.from(base64 ?? '', 'base64') : Buffer.from(text, 'utf8'),
  );
  return { index, name: description.name, description, bytes };
}

function nameOf(parsed: unknown): string | undefined {
  const name = (parsed as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name.slice(0, 500) : undefined;
}

/** Whether `value` nests objects or arrays deeper than `limit`, found without recursion. */
function exceedsDepth(value: unknown, limit: number): boolean {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth >= limit) return true;
    for (const child of Object.values(next.value)) pending.push({ value: child, depth: next.depth + 1 });
  }
  return false;
}
