/** What the first bytes of a file say it is, whatever it was declared as. */
export type Sniffed = 'pdf' | 'zip' | 'html' | 'binary' | 'text';

const HEAD_BYTES = 8 * 1024;
/**
 * PDF readers accept the header anywhere in the first 1,024 bytes, after whatever lines precede
 * it: `%PDF-` and a version at a line's start. Text that merely mentions it (code holding the
 * string `'%PDF-'`, prose about the format) is still text.
 */
const PDF_HEADER_WINDOW = 1024;
const PDF_HEADER = /(?:^|[\r\n])%PDF-\d\.\d/;

const binaryMagics: readonly (readonly number[])[] = [
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0xff, 0xd8, 0xff], // JPEG
  [0x47, 0x49, 0x46, 0x38], // GIF
  [0xd0, 0xcf, 0x11, 0xe0], // OLE2: legacy .doc/.xls
  [0x1f, 0x8b], // gzip
  [0x52, 0x61, 0x72, 0x21], // RAR
  [0x37, 0x7a, 0xbc, 0xaf], // 7z
  [0x7f, 0x45, 0x4c, 0x46], // ELF
];

const htmlOpenings = ['<!doctype html', '<html', '<head', '<body'];

export function sniff(bytes: Uint8Array): Sniffed {
  const head = bytes.subarray(0, HEAD_BYTES);
  if (PDF_HEADER.test(latin1(head.subarray(0, PDF_HEADER_WINDOW)))) return 'pdf';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return 'zip';
  if (binaryMagics.some((magic) => startsWith(head, magic)) || head.includes(0)) return 'binary';
  return looksLikeHtml(head) ? 'html' : 'text';
}

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((byte, index) => bytes[index] === byte);
}

const latin1 = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');

/** An HTML document opens with a doctype or a root element, after an optional BOM and blanks. */
function looksLikeHtml(head: Uint8Array): boolean {
  const opening = new TextDecoder('utf-8').decode(head.subarray(0, 512)).trimStart().toLowerCase();
  return htmlOpenings.some((tag) => opening.startsWith(tag));
}
