// Worker-thread entry of the conversion threads (ThreadConverter). Only these threads load pdf.js,
// the DOCX reader and the DOM: the chunking threads never do.
import { type ConversionInput, type ConversionLimits, convertDocument } from '@chunkflow/converters';
import { ApplicationError } from '@chunkflow/errors';

/** A thrown error crosses threads as a bare Error; the converters' typed refusals keep their code. */
export default async function convert({
  input,
  limits,
}: {
  input: ConversionInput;
  limits: ConversionLimits;
}) {
  try {
    return await convertDocument(input, limits);
  } catch (error) {
    if (!(error instanceof ApplicationError)) throw error;
    return { refusal: { code: error.code, message: error.message, details: error.details } };
  }
}
