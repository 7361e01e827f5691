import type { LocalFile } from './files.ts';

export interface BatchBounds {
  /** Files per request. */
  files: number;
  /** Bytes of files per request (before base64). */
  bytes: number;
}

/**
 * Files grouped into requests of at most `bounds.files` files and about `bounds.bytes` bytes (a
 * file larger than that goes alone), in order.
 */
export function batchesOf(files: readonly LocalFile[], bounds: BatchBounds): LocalFile[][] {
  const batches: LocalFile[][] = [];
  let batch: LocalFile[] = [];
  let bytes = 0;
  for (const file of files) {
    if (batch.length > 0 && (batch.length === bounds.files || bytes + file.bytes > bounds.bytes)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(file);
    bytes += file.bytes;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}
