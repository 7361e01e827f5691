import { InvalidDocumentError } from '@chunkflow/errors';
import { parseHTML } from 'linkedom';
import mammoth from 'mammoth';
import { checkDepth, type DomNode, domToMarkdown } from './dom-markdown.ts';
import type { ConversionLimits } from './types.ts';
import { checkInflation, readZipDirectory } from './zip-directory.ts';

const DOCUMENT_PART = 'word/document.xml';

/**
 * Markdown of a Word document: mammoth maps its styles to HTML (Heading 1–6 to h1–h6, tables,
 * lists), then the HTML writer makes markdown of it. The archive's directory is checked first,
 * so a zip bomb is refused before anything inflates; mammoth itself checks each part's size.
 */
export async function convertDocx(bytes: Uint8Array, limits: ConversionLimits): Promise<string> {
  const entries = readZipDirectory(bytes);
  if (!entries.some((entry) => entry.name === DOCUMENT_PART)) {
    throw new InvalidDocumentError('corrupt', 'The archive is not a Word document (no word/document.xml)');
  }
  checkInflation(entries, bytes.byteLength, limits);
  let html: string;
  try {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    html = (await mammoth.convertToHtml({ buffer }, { ignoreEmptyParagraphs: true })).value;
  } catch (error) {
    throw new InvalidDocumentError('corrupt', 'The Word document cannot be read', { cause: error });
  }
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  const body = document.body as unknown as DomNode;
  checkDepth(body, limits.maxNestingDepth);
  return domToMarkdown(body);
}
