// Worker-thread entry of the chunking pool: each named export is a task of WorkerPoolExecutor.
//
// The one place that trusts a config it did not normalise: tasks come only from this process's
// WorkerPoolExecutor, whose configs ConfigBuilder normalised. They arrive as structured clones,
// which keep the values but could carry no runtime mark, so NormalizedConfig is a type-only brand
// and this entry runs the config as it is (chunkForEmbedding runs it without normalising).
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import {
  chunkForEmbedding,
  computeMetrics,
  type EmbedContext,
  type NormalizedConfig,
  preloadDefaultEncoding,
  type RecommendInput,
  recommend as recommendStrategy,
  useTokenizerSource,
} from '@chunkflow/chunkers';
import { ApplicationError } from '@chunkflow/errors';
import { type DocumentText, tablesOfDocuments } from './chunk-table-batch.ts';
import { sendChunkTables } from './chunk-table-stream.ts';
import { THREAD_WARM } from './chunk-worker-messages.ts';
import { tokenizerFolder } from './tokenizer-folder.ts';

// The `hf:` tokenizers this process was configured with: the engine loads them here, per thread.
if (workerData?.tokenizers) useTokenizerSource(tokenizerFolder(workerData.tokenizers));
// As the thread starts, not in its first task (where every task queued behind it would wait).
preloadDefaultEncoding();

// A resident pool waits for each thread to have loaded it.
if (workerData?.resident) parentPort?.postMessage(THREAD_WARM);

type Task = { text: string; config: NormalizedConfig } & EmbedContext;

/** A thrown error crosses threads as a bare Error; the engine's typed refusals keep their code. */
async function refusing<T>(work: () => Promise<T> | T) {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof ApplicationError)) throw error;
    return { refusal: { code: error.code, message: error.message, details: error.details } };
  }
}

export function preview({ text, config, title, outline }: Task) {
  return refusing(async () => {
    // Plain objects already: every count is read while the embed texts are added.
    const chunks = await chunkForEmbedding(text, config, { title, outline });
    // Metrics here too: for a large text they cost as much as the chunking. And the chunks' JSON,
    // which the cache stores: written here, it costs the event loop a copy (preview-json.ts).
    // TextEncoder's bytes own their buffer, so the clone copies just them.
    const chunksJson = new TextEncoder().encode(JSON.stringify(chunks));
    return { chunks, metrics: computeMetrics(text, chunks), chunksJson };
  });
}

export function tables({ text, config, title, outline, port }: Task & { port: MessagePort }) {
  return refusing(() => sendChunkTables(text, config, port, { title, outline }));
}

export function documentTables({
  documents,
  config,
}: {
  documents: DocumentText[];
  config: NormalizedConfig;
}) {
  return refusing(() => tablesOfDocuments(documents, config));
}

export function recommend(input: RecommendInput) {
  return refusing(() => recommendStrategy(input));
}
