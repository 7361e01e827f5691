import { InvalidDocumentError } from '@chunkflow/errors';
import mammoth from 'mammoth';
import { type DocxDocument, docxToMarkdown } from './docx-markdown.ts';
import type { ConversionLimits } from './types.ts';
import { checkInflation, readZipDirectory } from './zip-directory.ts';

const DOCUMENT_PART = 'word/document.xml';

/**
 * Markdown of a Word document: mammoth reads it into its document model (paragraphs with their
 * styles and list numbering, runs, tables), which the writer makes markdown of. The archive's
 * directory is checked first, so a zip bomb is refused before anything inflates; mammoth itself
 * checks each part's size.
 */
export async function convertDocx(bytes: Uint8Array, limits: ConversionLimits): Promise<string> {
  const entries = readZipDirectory(bytes);
  if (!entries.some((entry) => entry.name === DOCUMENT_PART)) {
    throw new InvalidDocumentError('corrupt', 'The archive is not a Word document (no word/document.xml)');
  }
  checkInflation(entries, bytes.byteLength, limits);
  const document = await readDocument(bytes);
  return docxToMarkdown(document, limits.maxNestingDepth);
}

/**
 * mammoth's document model, taken from its `transformDocument` hook: the hook hands on an empty
 * document, so mammoth's HTML stage has nothing to write (and no style map to parse, no image
 * to encode).
 */
async function readDocument(bytes: Uint8Array): Promise<DocxDocument> {
  let read: DocxDocument | undefined;
  try {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    await mammoth.convertToHtml(
      { buffer },
      {
        includeDefaultStyleMap: false,
        includeEmbeddedStyleMap: false,
        transformDocument: (document: DocxDocument) => {
          read = document;
          return { ...document, children: [] };
        },
      },
    );
  } catch (error) {
    throw new InvalidDocumentError('corrupt', 'The Word document cannot be read', { cause: error });
  }
  if (!read) throw new InvalidDocumentError('corrupt', 'The Word document cannot be read');
  return read;
}
