import { InvalidDocumentError } from '@chunkflow/errors';
import { decodeUtf8 } from './decode.ts';
import { detectType } from './detect.ts';
import { markdownHeadings } from './headings.ts';
import {
  type ConversionInput,
  type ConversionLimits,
  type ConvertedDocument,
  DEFAULT_CONVERSION_LIMITS,
} from './types.ts';

/**
 * Converts an uploaded file to the text the chunkers read, with its provenance: pages for PDF,
 * headings (from the markdown each structured format becomes) for all but plain text and code.
 * Pure: reads only its input bytes. Throws UNSUPPORTED_DOCUMENT and INVALID_DOCUMENT.
 */
export async function convertDocument(
  input: ConversionInput,
  limits: ConversionLimits = DEFAULT_CONVERSION_LIMITS,
): Promise<ConvertedDocument> {
  const { format, contentType } = detectType(input);
  if (format === 'pdf') {
    const { convertPdf } = await import('./pdf.ts');
    const { text, pageStarts, pageCount } = await convertPdf(input.bytes, limits);
    return {
      text,
      format,
      contentType,
      pageCount,
      provenance: { pageStarts, headings: markdownHeadings(text) },
    };
  }
  const text = await structuredText(format, input.bytes, limits);
  // Text passes through as it came: only what a conversion makes can outgrow the upload limit.
  if (format !== 'text' && format !== 'markdown' && text.length > limits.maxOutputChars) {
    throw new InvalidDocumentError(
      'budget',
      `The document's text exceeds ${limits.maxOutputChars} characters`,
    );
  }
  const headings = format === 'text' ? [] : markdownHeadings(text);
  return { text, format, contentType, pageCount: null, provenance: { headings } };
}

async function structuredText(
  format: 'docx' | 'html' | 'markdown' | 'text',
  bytes: Uint8Array,
  limits: ConversionLimits,
): Promise<string> {
  // Each format's parser loads on first use: text never loads pdf.js, mammoth or a DOM.
  switch (format) {
    case 'docx':
      return (await import('./docx.ts')).convertDocx(bytes, limits);
    case 'html':
      return (await import('./html.ts')).convertHtml(decodeUtf8(bytes), limits);
    default:
      return decodeUtf8(bytes);
  }
}
