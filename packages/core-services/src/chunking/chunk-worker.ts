// Worker-thread entry of the chunking pool: each named export is a task of WorkerPoolExecutor.
//
// The one place that trusts a config it did not normalise: tasks come only from this process's
// WorkerPoolExecutor, whose configs ConfigBuilder normalised. They arrive as structured clones,
// which keep the values but could carry no runtime mark, so NormalizedConfig is a type-only brand
// and this entry runs the config as it is (chunkForEmbedding runs it without normalising).
import type { MessagePort } from 'node:worker_threads';
import {
  chunkForEmbedding,
  computeMetrics,
  type NormalizedConfig,
  type RecommendInput,
  recommend as recommendStrategy,
} from '@chunkflow/chunkers';
import type { ConversionInput } from '@chunkflow/converters';
import { ApplicationError } from '@chunkflow/errors';
import { sendChunkTables } from './chunk-table-stream.ts';

interface Task {
  text: string;
  config: NormalizedConfig;
  title?: string | undefined;
}

/** A thrown error crosses threads as a bare Error; the engine's typed refusals keep their code. */
async function refusing<T>(work: () => Promise<T> | T) {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof ApplicationError)) throw error;
    return { refusal: { code: error.code, message: error.message, details: error.details } };
  }
}

export function preview({ text, config, title }: Task) {
  return refusing(async () => {
    // Plain objects already: every count is read while the embed texts are added.
    const chunks = await chunkForEmbedding(text, config, { title });
    // Metrics here too: for a large text they cost as much as the chunking.
    return { chunks, metrics: computeMetrics(text, chunks) };
  });
}

export function tables({ text, config, title, port }: Task & { port: MessagePort }) {
  return refusing(() => sendChunkTables(text, config, port, title));
}

/** Loaded on the first conversion only: threads that never convert do not load pdf.js. */
export function convert(input: ConversionInput) {
  return refusing(async () => {
    const { convertDocument } = await import('@chunkflow/converters');
    return convertDocument(input);
  });
}

export function recommend(input: RecommendInput) {
  return refusing(() => recommendStrategy(input));
}
