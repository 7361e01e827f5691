import type { MessagePort } from 'node:worker_threads';
import {
  chunkForEmbedding,
  chunkNormalizedSegments,
  type EmbedContext,
  type NormalizedConfig,
  withEmbedText,
} from '@chunkflow/chunkers';
import { type ChunkTable, chunkTableOf, type TableChunk, transferablesOf } from './chunk-table.ts';

/**
 * A document's chunks cross from the chunking thread to the writer in tables of this many rows,
 * at most TABLES_IN_FLIGHT of them sent and not yet taken: the thread never holds more than one
 * segment's chunks (the engine chunks a document in segments of ~1 M characters) plus a table, and
 * the writer never more than a few tables, however long the document.
 */
export const TABLE_ROWS = 2_000;
export const TABLES_IN_FLIGHT = 2;

/** Thread → writer: a table, or the end of the document. Writer → thread: a table taken, or stop. */
type ToWriter = { table: ChunkTable } | { end: true };
type ToThread = 'taken' | 'stop';

/**
 * A document's chunks for retrieval (chunkForEmbedding's), one segment at a time. Fitting the
 * headers into the size (`embedSizeLimit: "embedText"`) re-chunks the whole document until every
 * chunk fits, so that mode yields the whole document's chunks at once.
 */
export async function* chunksForEmbedding(
  text: string,
  config: NormalizedConfig,
  context: EmbedContext,
): AsyncGenerator<readonly TableChunk[]> {
  if (config.embedSizeLimit === 'embedText' && config.embedTemplate !== 'none') {
    yield await chunkForEmbedding(text, config, context);
    return;
  }
  for await (const chunks of chunkNormalizedSegments(text, config)) {
    yield withEmbedText(text, chunks, config, context);
  }
}

/**
 * The chunking thread's side: chunks `text` segment by segment and sends its tables over `port`,
 * waiting whenever TABLES_IN_FLIGHT are untaken (backpressure). Returns early when the writer
 * stops reading. Token counts are read here, off the writer's event loop.
 */
export async function sendChunkTables(
  text: string,
  config: NormalizedConfig,
  port: MessagePort,
  context: EmbedContext = {},
): Promise<void> {
  let untaken = 0;
  let stopped = false;
  let wake: (() => void) | undefined;
  port.on('message', (message: ToThread) => {
    if (message === 'stop') stopped = true;
    else untaken -= 1;
    wake?.();
  });
  const send = async (chunks: readonly TableChunk[]) => {
    while (untaken >= TABLES_IN_FLIGHT && !stopped) await new Promise<void>((resolve) => (wake = resolve));
    if (stopped) return false;
    const table = chunkTableOf(chunks);
    untaken += 1;
    port.postMessage({ table } satisfies ToWriter, transferablesOf(table));
    return true;
  };
  try {
    for await (const segmentChunks of chunksForEmbedding(text, config, context)) {
      for (let from = 0; from < segmentChunks.length; from += TABLE_ROWS) {
        if (!(await send(segmentChunks.slice(from, from + TABLE_ROWS)))) return;
      }
    }
    port.postMessage({ end: true } satisfies ToWriter);
  } finally {
    port.close();
  }
}

/**
 * The writer's side: the tables arriving on `port`, each one acknowledged as it is taken, until
 * the thread's end mark. `task` is the thread's work: its failure (a refusal, an abort, a dead
 * thread) ends the iteration with that error. Stopping early tells the thread to stop; a caller
 * that may not read at all must abort the task's signal when it is done (a thread sends its first
 * tables unasked and then waits for them to be taken).
 */
export async function* receiveChunkTables(
  port: MessagePort,
  task: Promise<unknown>,
): AsyncGenerator<ChunkTable> {
  const arrived: ToWriter[] = [];
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  port.on('message', (message: ToWriter) => {
    arrived.push(message);
    wake?.();
  });
  // The end mark is posted before the task returns, so only a failure needs watching here.
  task.catch((error: unknown) => {
    failure = { error };
    wake?.();
  });
  try {
    for (;;) {
      const message = arrived.shift();
      if (message === undefined) {
        if (failure) throw failure.error;
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      // The thread returns right after its end mark: its task is done before the writer goes on
      // (so a caller that aborts leftover work afterwards never terminates a finished thread).
      if ('end' in message) {
        await task.catch(() => undefined);
        return;
      }
      port.postMessage('taken' satisfies ToThread);
      yield message.table;
    }
  } finally {
    port.postMessage('stop' satisfies ToThread);
    port.close();
  }
}
