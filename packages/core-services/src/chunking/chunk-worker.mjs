// Worker-thread entry of the chunking pool. Plain JS because worker threads start without the
// TypeScript loader: it registers tsx first, then loads the engine from source.
import { register } from 'tsx/esm/api';

register();
const { chunkAsync, computeMetrics } = await import('@chunkflow/chunkers');
const { ApplicationError } = await import('@chunkflow/errors');

/** @param {{ text: string, config: unknown }} task */
export default async function runChunking({ text, config }) {
  try {
    // Plain objects: chunks may carry a lazy tokenCount getter, which must not cross threads unread.
    const chunks = (await chunkAsync(text, config)).map((chunk) => ({ ...chunk }));
    // Metrics here too: for a large text they cost as much as the chunking.
    return { chunks, metrics: computeMetrics(text, chunks) };
  } catch (error) {
    // A thrown error crosses threads as a bare Error; the engine's typed refusals keep their code.
    if (!(error instanceof ApplicationError)) throw error;
    return { refusal: { code: error.code, message: error.message, details: error.details } };
  }
}
