import { ValidationError } from '@chunkflow/errors';

/** UTF-8 text of a text upload (a BOM is dropped); bytes that are not UTF-8 are VALIDATION_ERROR, as ever. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    throw new ValidationError('The document is not valid UTF-8 text', { cause: error });
  }
}
