import type { CacheValue } from '@chunkflow/redis-manager';

/** A preview, as far as its JSON is concerned: its chunks and its other fields. */
type Preview = { chunks: unknown[] };

/** Previews whose JSON was assembled around their chunks' JSON (see `assemblePreviewJson`). */
const assembled = new WeakMap<Preview, Buffer>();

/**
 * Records `preview`'s JSON as its few fields around `chunksJson`, the UTF-8 JSON of exactly
 * `preview.chunks` written by the thread that chunked them: the same bytes JSON.stringify writes,
 * with no walk or encoding of the chunks on this thread (for a large preview, most of a computed
 * answer's cost on the event loop).
 */
export function assemblePreviewJson(preview: Preview, chunksJson: Uint8Array): void {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  let past = false;
  for (const [key, value] of Object.entries(preview)) {
    if (key === 'chunks') past = true;
    else (past ? after : before)[key] = value;
  }
  // '{"a":1}' → '{"a":1,"chunks":' and '{"b":2}' → ',"b":2}'; an empty side adds no comma.
  const head = JSON.stringify(before).slice(0, -1);
  const tail = JSON.stringify(after).slice(1);
  assembled.set(
    preview,
    Buffer.concat([
      Buffer.from(`${head}${head.length > 1 ? ',' : ''}"chunks":`),
      chunksJson,
      Buffer.from(`${tail.length > 1 ? ',' : ''}${tail}`),
    ]),
  );
}

/** The preview's JSON as the cache stores it: assembled when it could be, else stringified here. */
export function previewJson(preview: Preview): CacheValue {
  return assembled.get(preview) ?? JSON.stringify(preview);
}
