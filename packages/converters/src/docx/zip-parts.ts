import { inflateRawSync } from 'node:zlib';
import { corrupt, type ZipEntry } from '../zip-directory.ts';

const LOCAL_HEADER = 0x04034b50;
const LOCAL_HEADER_BYTES = 30;
const STORED = 0;
const DEFLATED = 8;
const ENCRYPTED = 0x1;
/** Parts are XML in UTF-8; a byte that is not becomes U+FFFD, as mammoth decodes them. */
const utf8 = new TextDecoder('utf-8');

/**
 * The parts of a zip archive, by name, inflated one at a time on demand with the runtime's zlib.
 * Each entry inflates to at most the size the directory declared for it (which the caller has
 * already held to the budget): an entry that would inflate to more, or to less, is refused.
 */
export class ZipParts {
  private readonly byName = new Map<string, ZipEntry>();

  constructor(
    private readonly bytes: Uint8Array,
    entries: readonly ZipEntry[],
  ) {
    // A name given twice is read from its last entry, as JSZip reads it.
    for (const entry of entries) this.byName.set(entry.name, entry);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The part's text, without a byte-order mark; undefined when the archive has no such part. */
  text(name: string): string | undefined {
    const entry = this.byName.get(name);
    return entry && utf8.decode(this.inflate(entry));
  }

  private inflate(entry: ZipEntry): Uint8Array {
    if (entry.flags & ENCRYPTED) throw corrupt(`${entry.name} is encrypted`);
    const data = this.compressedData(entry);
    if (entry.method === STORED) {
      if (data.byteLength !== entry.inflatedBytes) throw corrupt(`${entry.name} is damaged`);
      return data;
    }
    if (entry.method !== DEFLATED) throw corrupt(`${entry.name} is compressed in an unknown way`);
    let inflated: Uint8Array;
    try {
      inflated = inflateRawSync(data, { maxOutputLength: Math.max(1, entry.inflatedBytes) });
    } catch (error) {
      throw corrupt(`${entry.name} does not inflate (${(error as Error).message})`);
    }
    if (inflated.byteLength !== entry.inflatedBytes) throw corrupt(`${entry.name} is damaged`);
    return inflated;
  }

  /** The entry's compressed bytes, after its local header (whose name and extra field may differ in length from the directory's). */
  private compressedData(entry: ZipEntry): Uint8Array {
    const at = entry.localHeaderOffset;
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    if (at + LOCAL_HEADER_BYTES > view.byteLength || view.getUint32(at, true) !== LOCAL_HEADER) {
      throw corrupt(`${entry.name} has no local header`);
    }
    const start = at + LOCAL_HEADER_BYTES + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
    const end = start + entry.compressedBytes;
    if (end > view.byteLength) throw corrupt(`${entry.name} is truncated`);
    return this.bytes.subarray(start, end);
  }
}
