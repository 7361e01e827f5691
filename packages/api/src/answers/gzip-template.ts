import { constants, crc32, deflateRawSync } from 'node:zlib';

/** gzip's fixed header: deflate, no name or time, from a Unix system (RFC 1952). */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0x03]);
/** Values longer than a stored deflate block holds are not expected in holes (ids, flags). */
const MAX_STORED = 0xffff;

/**
 * A template's gzip form, compressed once: each fixed segment is deflated on its own, ending on a
 * byte boundary (a sync flush; the last one ends the stream), and each request's hole values go
 * between them as stored (uncompressed) blocks, so serving it compresses nothing. The checksum
 * continues from the first segment's, computed once, over the rest.
 */
export class GzipTemplate {
  readonly #segments: Buffer[];
  readonly #deflated: Buffer[];
  readonly #leadCrc: number;
  readonly #fixedBytes: number;

  constructor(segments: Buffer[]) {
    this.#segments = segments;
    // Deflated from copies: zlib leaves an empty input buffer unreadable, and the segments are shared.
    this.#deflated = segments.map((segment, index) =>
      deflateRawSync(Buffer.from(segment), {
        finishFlush: index === segments.length - 1 ? constants.Z_FINISH : constants.Z_SYNC_FLUSH,
      }),
    );
    this.#leadCrc = crc32(segments[0] as Buffer);
    this.#fixedBytes = segments.reduce((sum, segment) => sum + segment.length, 0);
  }

  render(values: Buffer[]): Buffer {
    const parts: Buffer[] = [GZIP_HEADER, this.#deflated[0] as Buffer];
    let crc = this.#leadCrc;
    let size = this.#fixedBytes;
    for (let index = 0; index < values.length; index++) {
      const value = values[index] as Buffer;
      if (value.length > MAX_STORED) throw new RangeError('A hole value too long for a stored block');
      const head = Buffer.allocUnsafe(5);
      head[0] = 0; // not final, stored
      head.writeUInt16LE(value.length, 1);
      head.writeUInt16LE(~value.length & 0xffff, 3);
      const segment = this.#segments[index + 1] as Buffer;
      crc = crc32(segment, crc32(value, crc));
      size += value.length;
      parts.push(head, value, this.#deflated[index + 1] as Buffer);
    }
    const trailer = Buffer.allocUnsafe(8);
    trailer.writeUInt32LE(crc >>> 0, 0);
    trailer.writeUInt32LE(size >>> 0, 4);
    parts.push(trailer);
    return Buffer.concat(parts);
  }
}
