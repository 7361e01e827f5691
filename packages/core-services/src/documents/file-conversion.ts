import { createHash } from 'node:crypto';
import type { ConvertedDocument } from '@chunkflow/converters';
import type { JsonObject } from '@chunkflow/db';
import { InvalidDocumentError } from '@chunkflow/errors';
import type { DocumentConverter } from '../conversion/converter.ts';
import type { DocumentDescription, NewDocumentInput } from './document-inputs.ts';

const DEFAULT_CONVERSION_TIMEOUT_MS = 60_000;

export type FileConverter = Pick<DocumentConverter, 'convert'>;

/**
 * A file as a document to store: converted off the event loop (PDF, DOCX, HTML, Markdown, text;
 * see @chunkflow/converters) within `timeoutMs` (INVALID_DOCUMENT past it), with the file's hash,
 * size, pages and provenance kept as its source. The hash is taken first: conversion may take the
 * bytes over (moved to a thread).
 */
export async function documentFromFile(
  converter: FileConverter,
  bytes: Uint8Array,
  description: DocumentDescription,
  timeoutMs = DEFAULT_CONVERSION_TIMEOUT_MS,
): Promise<NewDocumentInput> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const size = bytes.byteLength;
  const converted = await convertWithin(converter, bytes, description, timeoutMs);
  return {
    ...description,
    contentType: converted.contentType,
    content: converted.text,
    source: {
      sha256,
      bytes: size,
      pageCount: converted.pageCount,
      provenance: converted.provenance as unknown as JsonObject,
    },
  };
}

async function convertWithin(
  converter: FileConverter,
  bytes: Uint8Array,
  { contentType, name }: DocumentDescription,
  timeoutMs: number,
): Promise<ConvertedDocument> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    return await converter.convert({ bytes, contentType, name }, { signal });
  } catch (error) {
    if (!signal.aborted) throw error;
    throw new InvalidDocumentError('budget', `Converting the document took longer than ${timeoutMs} ms`, {
      cause: error,
    });
  }
}
