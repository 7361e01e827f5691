import { InvalidDocumentError } from '@chunkflow/errors';

export interface ZipEntry {
  name: string;
  compressedBytes: number;
  inflatedBytes: number;
  /** 0 stored, 8 deflated; anything else is refused when the entry is read. */
  method: number;
  /** General-purpose flags: bit 0 marks an encrypted entry. */
  flags: number;
  /** Where the entry's local header starts. */
  localHeaderOffset: number;
}

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const END_RECORD_BYTES = 22;
const MAX_COMMENT_BYTES = 0xffff;
const ZIP64_MARK = 0xffffffff;
const MAX_ENTRIES = 10_000;
/** One decoder for every entry name: making one costs more than decoding a name. */
const names = new TextDecoder();

/**
 * The entries a zip's central directory declares, read without inflating anything, so a bomb
 * (sizes or counts far beyond the file's) is refused before any decompressor sees it. The
 * decompressor later checks each entry against its declared size. ZIP64 archives are refused:
 * no Word document needs one.
 */
export function readZipDirectory(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = findEndRecord(view);
  const count = view.getUint16(end + 10, true);
  const directoryOffset = view.getUint32(end + 16, true);
  if (count > MAX_ENTRIES) throw bomb(`declares ${count} entries`);
  if (directoryOffset === ZIP64_MARK) throw corrupt('ZIP64 archives are not taken');
  const entries: ZipEntry[] = [];
  let at = directoryOffset;
  for (let index = 0; index < count; index++) {
    if (at + 46 > view.byteLength || view.getUint32(at, true) !== DIRECTORY_ENTRY) {
      throw corrupt('its zip directory is damaged');
    }
    const nameBytes = view.getUint16(at + 28, true);
    const skipBytes = view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const compressedBytes = view.getUint32(at + 20, true);
    const inflatedBytes = view.getUint32(at + 24, true);
    const localHeaderOffset = view.getUint32(at + 42, true);
    if ([compressedBytes, inflatedBytes, localHeaderOffset].includes(ZIP64_MARK)) {
      throw corrupt('ZIP64 archives are not taken');
    }
    const name = names.decode(bytes.subarray(at + 46, at + 46 + nameBytes));
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    entries.push({ name, compressedBytes, inflatedBytes, method, flags, localHeaderOffset });
    at += 46 + nameBytes + skipBytes;
  }
  return entries;
}

/** The end record sits in the last 22 bytes plus at most a 64 KiB comment. */
function findEndRecord(view: DataView): number {
  const lowest = Math.max(0, view.byteLength - END_RECORD_BYTES - MAX_COMMENT_BYTES);
  for (let at = view.byteLength - END_RECORD_BYTES; at >= lowest; at--) {
    if (view.getUint32(at, true) === END_OF_DIRECTORY) return at;
  }
  throw corrupt('it is not a complete zip archive (truncated?)');
}

/** Refuses an archive whose declared contents inflate past the budget or the ratio to its size. */
export function checkInflation(
  entries: readonly ZipEntry[],
  archiveBytes: number,
  limits: { maxInflatedBytes: number; maxCompressionRatio: number },
): void {
  const inflated = entries.reduce((sum, entry) => sum + entry.inflatedBytes, 0);
  if (inflated > limits.maxInflatedBytes) throw bomb(`inflates to ${inflated} bytes`);
  if (inflated > archiveBytes * limits.maxCompressionRatio) {
    throw bomb(`inflates ${Math.round(inflated / archiveBytes)} times its size`);
  }
}

export function corrupt(why: string): InvalidDocumentError {
  return new InvalidDocumentError('corrupt', `The document cannot be read: ${why}`);
}

function bomb(what: string): InvalidDocumentError {
  return new InvalidDocumentError('bomb', `The document is refused: its archive ${what}`);
}
