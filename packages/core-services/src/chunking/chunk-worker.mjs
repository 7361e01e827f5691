// Worker-thread entry of the chunking pool. Plain JS because worker threads start without the
// TypeScript loader: it registers tsx first, then loads the engine from source. Each named export
// is a task of WorkerPoolExecutor.
//
// The one place that trusts a config it did not normalise: tasks come only from this process's
// WorkerPoolExecutor, whose configs ConfigBuilder normalised. They arrive as structured clones,
// which keep the values but could carry no runtime mark, so NormalizedConfig is a type-only brand
// and this entry runs the config as it is (chunkForEmbedding runs it without normalising).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const {
  chunkForEmbedding,
  computeMetrics,
  recommend: recommendStrategy,
  useTokenizerSource,
} = await import('@chunkflow/chunkers');
const { tokenizerFolder } = await import('./tokenizer-folder.ts');

// The `hf:` tokenizers this process was configured with: the engine loads them here, per thread.
if (workerData?.tokenizers) useTokenizerSource(tokenizerFolder(workerData.tokenizers));
const { ApplicationError } = await import('@chunkflow/errors');
const { sendChunkTables } = await import('./chunk-table-stream.ts');

/** A thrown error crosses threads as a bare Error; the engine's typed refusals keep their code. */
async function refusing(work) {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof ApplicationError)) throw error;
    return { refusal: { code: error.code, message: error.message, details: error.details } };
  }
}

/** @typedef {{ text: string, config: import('@chunkflow/chunkers').NormalizedConfig } & import('@chunkflow/chunkers').EmbedContext} Task */

/** @param {Task} task */
export function preview({ text, config, title, outline }) {
  return refusing(async () => {
    // Plain objects already: every count is read while the embed texts are added.
    const chunks = await chunkForEmbedding(text, config, { title, outline });
    // Metrics here too: for a large text they cost as much as the chunking.
    return { chunks, metrics: computeMetrics(text, chunks) };
  });
}

/** @param {Task & { port: import('node:worker_threads').MessagePort }} task */
export function tables({ text, config, title, outline, port }) {
  return refusing(() => sendChunkTables(text, config, port, { title, outline }));
}

/** @param {{ fileType?: string, content?: string }} input */
export function recommend(input) {
  return refusing(async () => recommendStrategy(input));
}
