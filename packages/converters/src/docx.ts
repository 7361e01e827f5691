import { InvalidDocumentError } from '@chunkflow/errors';
import { readDocx } from './docx/read-docx.ts';
import { docxToMarkdown } from './docx-markdown.ts';
import type { ConversionLimits } from './types.ts';
import { checkInflation, readZipDirectory } from './zip-directory.ts';

const DOCUMENT_PART = 'word/document.xml';

/**
 * Markdown of a Word document: its parts are read into mammoth's document model (paragraphs
 * with their styles and list numbering, runs, tables, notes) by our own reader, which the writer
 * makes markdown of. The archive's directory is checked first, so a zip bomb is refused before
 * anything inflates; each part then inflates within its declared size.
 */
export async function convertDocx(bytes: Uint8Array, limits: ConversionLimits): Promise<string> {
  const entries = readZipDirectory(bytes);
  if (!entries.some((entry) => entry.name === DOCUMENT_PART)) {
    throw new InvalidDocumentError('corrupt', 'The archive is not a Word document (no word/document.xml)');
  }
  checkInflation(entries, bytes.byteLength, limits);
  return docxToMarkdown(readDocx(bytes, entries, limits.maxNestingDepth), limits.maxNestingDepth);
}
