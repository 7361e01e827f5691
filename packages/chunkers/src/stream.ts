import { MemoryPool } from '@chunkflow/mempool';
import { chunkSegmentAsync, planChunking } from './chunk.ts';
import { normalizeConfig } from './config.ts';
import { MAX_SEGMENT_CHARS, segmentEnd } from './segments.ts';
import type { ChunkAsyncOptions } from './strategy.ts';
import type { Chunk } from './types.ts';

/** A borrowed buffer; `MemoryPool`'s `BufferLease` is one. */
export interface WindowLease {
  readonly bytes: Uint8Array;
  release(): void;
}

/** Where `chunkStream` borrows its window; a shared `MemoryPool` caps all concurrent streams together. */
export interface WindowLeaseProvider {
  acquire(size: number, options?: { signal?: AbortSignal }): Promise<WindowLease>;
}

export interface ChunkStreamOptions extends ChunkAsyncOptions {
  /** Defaults to a private pool holding just this stream's window. */
  pool?: WindowLeaseProvider;
}

/** Room for one segment plus the lookahead that decides where it ends, with space to refill. */
const WINDOW_CHARS = 2 * MAX_SEGMENT_CHARS;
/** The window holds UTF-16 code units as they arrive, so pieces may split surrogate pairs freely. */
export const STREAM_WINDOW_BYTES = WINDOW_CHARS * 2;

/**
 * Chunks a document that arrives in pieces, holding one window of about 4 MB however long the
 * document is. Offsets are global; the chunks are exactly those `chunk()` returns for the whole
 * text, because both cut the document into the same segments (segments.ts).
 */
export async function* chunkStream(
  source: AsyncIterable<string> | Iterable<string>,
  config: unknown,
  options: ChunkStreamOptions = {},
): AsyncGenerator<Chunk, void, undefined> {
  const plan = planChunking(normalizeConfig(config));
  const pool = options.pool ?? new MemoryPool({ maxBytes: STREAM_WINDOW_BYTES });
  const lease = await pool.acquire(STREAM_WINDOW_BYTES, options.signal ? { signal: options.signal } : {});
  try {
    const window = Buffer.from(lease.bytes.buffer, lease.bytes.byteOffset, STREAM_WINDOW_BYTES);
    let length = 0; // code units held
    let offset = 0; // document offset of the window's first code unit
    let emitted = 0;

    async function* flush(final: boolean): AsyncGenerator<Chunk, void, undefined> {
      // A segment's end is only known once the text reaches past its longest possible extent.
      while (final ? length > 0 : length > MAX_SEGMENT_CHARS) {
        const held = window.toString('utf16le', 0, length * 2);
        const end = segmentEnd(held, 0);
        const chunks = await chunkSegmentAsync(
          plan,
          end === held.length ? held : held.slice(0, end),
          offset,
          emitted,
          options,
        );
        emitted += chunks.length;
        yield* chunks;
        window.copyWithin(0, end * 2, length * 2);
        length -= end;
        offset += end;
      }
    }

    for await (const piece of source) {
      for (let taken = 0; taken < piece.length; ) {
        const count = Math.min(piece.length - taken, WINDOW_CHARS - length);
        window.write(
          count === piece.length ? piece : piece.slice(taken, taken + count),
          length * 2,
          'utf16le',
        );
        length += count;
        taken += count;
        yield* flush(false);
      }
    }
    yield* flush(true);
  } finally {
    lease.release();
  }
}
