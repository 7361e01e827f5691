import { DocumentTooLargeError, ValidationError } from '@chunkflow/errors';
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
 * memory. Refuses a body declared or found larger than the limit as soon as that is known, and
 * one that is not UTF-8. The text is decoded once, at the end, and the buffers returned.
 */
export async function readUploadedText(
  body: AsyncIterable<Uint8Array>,
  pool: MemoryPool,
  limits: UploadLimits,
  declaredBytes?: number,
): Promise<string> {
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
    return decodeUtf8(segments, filled);
  } finally {
    for (const segment of segments) segment.release();
  }
}

function decodeUtf8(segments: BufferLease[], lastFilled: number): string {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  const parts: string[] = [];
  try {
    segments.forEach((segment, index) => {
      const end = index === segments.length - 1 ? lastFilled : segment.size;
      parts.push(decoder.decode(segment.bytes.subarray(0, end), { stream: true }));
    });
    parts.push(decoder.decode());
  } catch (error) {
    throw new ValidationError('The document is not valid UTF-8 text', { cause: error });
  }
  return parts.join('');
}
