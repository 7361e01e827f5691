import { InvalidDocumentError, UnsupportedDocumentError } from '@chunkflow/errors';
import { formatOfMediaType, formatOfName, mediaTypeOfFormat, UNKNOWN_TYPE } from './media-types.ts';
import { type Sniffed, sniff } from './sniff.ts';
import type { ConversionInput, SourceFormat } from './types.ts';

export interface DetectedType {
  format: SourceFormat;
  /** The media type stored with the document. */
  contentType: string;
}

/** The container each format's bytes must open as; text formats are anything readable as text. */
const expectedContainer: Record<SourceFormat, readonly Sniffed[]> = {
  pdf: ['pdf'],
  docx: ['zip'],
  html: ['html', 'text'],
  markdown: ['html', 'text'],
  text: ['html', 'text'],
};

/**
 * The format of an upload: the declared type decides, unless it is absent or
 * `application/octet-stream`, when the bytes (then the name) do. Either way the bytes and the
 * name's extension must agree with it: a declared type the server does not take is
 * UNSUPPORTED_DOCUMENT, a declaration the bytes contradict INVALID_DOCUMENT.
 */
export function detectType({ bytes, contentType, name }: ConversionInput): DetectedType {
  const sniffed = sniff(bytes);
  const declared = contentType?.toLowerCase();
  const format =
    declared === undefined || declared === UNKNOWN_TYPE
      ? formatOfBytes(sniffed, name)
      : formatOfMediaType(declared);
  if (format === undefined) throw new UnsupportedDocumentError(declared ?? UNKNOWN_TYPE);
  if (!expectedContainer[format].includes(sniffed)) {
    throw mismatch(`declared as ${declared ?? format} but its bytes are ${describe(sniffed)}`);
  }
  const named = formatOfName(name);
  if ((named === 'pdf' || named === 'docx') && !expectedContainer[named].includes(sniffed)) {
    throw mismatch(`named ${name} but its bytes are ${describe(sniffed)}`);
  }
  const keepsDeclared = declared !== undefined && declared !== UNKNOWN_TYPE && format === 'text';
  return { format, contentType: keepsDeclared ? declared : mediaTypeOfFormat[format] };
}

function formatOfBytes(sniffed: Sniffed, name: string | undefined): SourceFormat | undefined {
  switch (sniffed) {
    case 'pdf':
      return 'pdf';
    case 'zip':
      return 'docx';
    case 'binary':
      return undefined;
    case 'html':
      return 'html';
    case 'text': {
      const named = formatOfName(name);
      return named === 'html' || named === 'markdown' ? named : 'text';
    }
  }
}

function describe(sniffed: Sniffed): string {
  return sniffed === 'text' || sniffed === 'html' ? `${sniffed}` : `a ${sniffed} file`;
}

function mismatch(what: string): InvalidDocumentError {
  return new InvalidDocumentError('type_mismatch', `The document is ${what}`);
}
