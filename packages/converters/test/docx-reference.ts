import { crc32, deflateRawSync } from 'node:zlib';
import mammoth from 'mammoth';
import { type DocxDocument, docxToMarkdown } from '../src/docx-markdown.ts';

/**
 * The markdown the writer makes of mammoth's own document model of a DOCX (taken from its
 * `transformDocument` hook): the reference our reader is held to.
 */
export async function mammothMarkdown(bytes: Uint8Array, maxDepth = 512): Promise<string> {
  let read: DocxDocument | undefined;
  await mammoth.convertToHtml(
    { buffer: Buffer.from(bytes) },
    {
      includeDefaultStyleMap: false,
      includeEmbeddedStyleMap: false,
      transformDocument: (document: DocxDocument) => {
        read = document;
        return { ...document, children: [] };
      },
    },
  );
  if (!read) throw new Error('mammoth read no document');
  return docxToMarkdown(read, maxDepth);
}

/** A zip archive of these parts, deflated (or stored), as a minimal writer lays it out. */
export function zipOf(parts: Record<string, string>, method: 'deflate' | 'store' = 'deflate'): Uint8Array {
  const locals: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(parts)) {
    const nameBytes = Buffer.from(name);
    const raw = Buffer.from(text);
    const data = method === 'store' ? raw : deflateRawSync(raw);
    const fields = (header: Buffer, at: number) => {
      header.writeUInt16LE(method === 'store' ? 0 : 8, at);
      header.writeUInt32LE(crc32(raw), at + 6);
      header.writeUInt32LE(data.length, at + 10);
      header.writeUInt32LE(raw.length, at + 14);
      header.writeUInt16LE(nameBytes.length, at + 18);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    fields(local, 8);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    fields(central, 10);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    directory.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const directoryBytes = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(directory.length / 2, 8);
  end.writeUInt16LE(directory.length / 2, 10);
  end.writeUInt32LE(directoryBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directoryBytes, end]));
}

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const NAMESPACES = [
  `xmlns:w="${W}"`,
  'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"',
  'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"',
  'xmlns:v="urn:schemas-microsoft-com:vml"',
  'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"',
].join(' ');

/** A DOCX whose body, styles, numbering and footnotes are the XML given, in WordprocessingML's namespaces. */
export function rawDocx(
  body: string,
  parts: { styles?: string; numbering?: string; footnotes?: string; relationships?: string } = {},
  method: 'deflate' | 'store' = 'deflate',
): Uint8Array {
  const files: Record<string, string> = {
    'word/document.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document ${NAMESPACES}><w:body>${body}</w:body></w:document>`,
  };
  const part = (name: string, root: string, content: string | undefined) => {
    if (content !== undefined) files[`word/${name}.xml`] = `<w:${root} ${NAMESPACES}>${content}</w:${root}>`;
  };
  part('styles', 'styles', parts.styles);
  part('numbering', 'numbering', parts.numbering);
  part('footnotes', 'footnotes', parts.footnotes);
  if (parts.relationships !== undefined) {
    files['word/_rels/document.xml.rels'] =
      `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${parts.relationships}</Relationships>`;
  }
  return zipOf(files, method);
}
