import { DocumentTooLargeError } from '@chunkflow/errors';
import type { BufferLease, MemoryPool } from '@chunkflow/mempool';

/** The first segment of an upload; each next one doubles, up to `segmentBytes`. */
const FIRST_SEGMENT_BYTES = 16 * 1024;

export interface UploadLimits {
  /** Largest document accepted, in bytes of UTF-8. */
  maxBytes: number;
  /** Bytes of the largest leased segment. */
  segmentBytes: number;
  /** How long a reader waits for pool memory before giving up. */
  acquireTimeoutMs: number;
}

/**
 * Reads an uploaded body into buffers leased from the pool, so all uploads together never hold
 * more than the pool's budget (a reader waits for memory instead, which stops it reading its
 * socket). Segments start small and grow, so a sender that stalls after a few bytes holds little
 * memory. Refuses a body declared or found larger than the limit as soon as that is known. The
 * bytes are copied out once, at the end, into an array of their own (which the caller may hand to
 * another thread), and the buffers returned.
 */
export async function readUploadedBytes(
  body: AsyncIterable<Uint8Array>,
  pool: MemoryPool,
  limits: UploadLimits,
  declaredBytes?: number,
): Promise<Uint8Array> {
  if (declaredBytes !== undefined && declaredBytes > limits.maxBytes) {
    throw new DocumentTooLargeError(declaredBytes, limits.maxBytes);
  }
  const segments: BufferLease[] = [];
  try {
    let filled = 0;
    let total = 0;
    for await (const piece of body) {
      total += piece.byteLength;
      if (total > limits.maxBytes) throw new DocumentTooLargeError(total, limits.maxBytes);
      let offset = 0;
      while (offset < piece.byteLength) {
        let segment = segments.at(-1);
        if (segment === undefined || filled === segment.size) {
          const size = Math.min(limits.segmentBytes, FIRST_SEGMENT_BYTES * 2 ** segments.length);
          segment = await pool.acquire(size, { timeoutMs: limits.acquireTimeoutMs });
          segments.push(segment);
          filled = 0;
        }
        const copied = Math.min(segment.size - filled, piece.byteLength - offset);
        segment.bytes.set(piece.subarray(offset, offset + copied), filled);
        filled += copied;
        offset += copied;
      }
    }
    return joined(segments, total);
  } finally {
    for (const segment of segments) segment.release();
  }
}

function joined(segments: BufferLease[], total: number): Uint8Array {
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const segment of segments) {
    const length = Math.min(segment.size, total - offset);
    bytes.set(segment.bytes.subarray(0, length), offset);
    offset += length;
  }
  return bytes;
}
