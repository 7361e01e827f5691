// Worker-thread entry of the conversion threads (ThreadConverter). Plain JS because worker threads
// start without the TypeScript loader: it registers tsx first, then loads the converters from
// source. Only these threads load pdf.js, mammoth and the DOM: the chunking threads never do.
import { register } from 'tsx/esm/api';

// Before the loader: plain JavaScript the loader need not transform (see parsers.mjs).
await import('@chunkflow/converters/parsers');
register();
const { convertDocument } = await import('@chunkflow/converters');
const { ApplicationError } = await import('@chunkflow/errors');

/**
 * A thrown error crosses threads as a bare Error; the converters' typed refusals keep their code.
 * @param {{ input: import('@chunkflow/converters').ConversionInput, limits: import('@chunkflow/converters').ConversionLimits }} task
 */
export default async function convert({ input, limits }) {
  try {
    return await convertDocument(input, limits);
  } catch (error) {
    if (!(error instanceof ApplicationError)) throw error;
    return { refusal: { code: error.code, message: error.message, details: error.details } };
  }
}
