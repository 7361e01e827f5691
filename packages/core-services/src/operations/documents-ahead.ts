import { setMaxListeners } from 'node:events';
import type { NormalizedConfig } from '@chunkflow/chunkers';
import type { Database, Document, NewChunk } from '@chunkflow/db';
import { documentContextOf } from '../chunking/chunk-output.ts';
import { type ChunkTable, rowsOf, storedChunks } from '../chunking/chunk-table.ts';
import type { ChunkingExecutor } from '../chunking/executor.ts';
import { citationsOf, citedRows, outlineOf } from '../documents/chunk-citations.ts';

/**
 * Documents longer than this are not chunked ahead: their chunks could outgrow memory, so each is
 * written on its own, streamed from its thread in short transactions (replaceDocumentChunks).
 */
export const STREAMED_DOCUMENT_CHARS = 1_000_000;
/**
 * Documents chunked by one thread task: enough to spread a task's hand-over over many documents,
 * few enough that the documents ahead (2 × batchDocuments) still keep every thread busy.
 */
const TASK_DOCUMENTS = 16;
/** Document text held ahead of the writer at most (besides a streamed document's). */
const AHEAD_CHARS = 16_000_000;

/** A document of the plan on its way to the writer. */
export type AheadDocument =
  /** Deleted since the plan was made: done, with no chunks. */
  | { kind: 'gone'; documentId: string }
  | { kind: 'streamed'; document: Document }
  | { kind: 'chunked'; document: Document; rows: Promise<NewChunk[]>; ready: boolean };

/** What the writer takes next: one streamed document, or documents whose chunks are all made. */
export type Batch =
  | { kind: 'streamed'; document: Document }
  | { kind: 'chunked'; documents: AheadDocument[] };

export interface AheadOptions {
  database: Database;
  executor: ChunkingExecutor;
  config: NormalizedConfig;
  /** Most documents in one batch; also how many are read in one query. */
  batchDocuments: number;
  signal: AbortSignal;
}

/**
 * A document's rows as its chunking thread makes them, with the document's metadata and the
 * citations (pages, heading path) of its provenance.
 */
export async function* documentRows(
  document: Document,
  executor: ChunkingExecutor,
  config: NormalizedConfig,
  signal: AbortSignal,
): AsyncGenerator<NewChunk> {
  const tables = executor.tables(document.content, config, {
    signal,
    title: documentContextOf(document).title,
    outline: outlineOf(document.provenance),
  });
  const citations = citationsOf(document.provenance);
  for await (const row of storedChunks(document.content, tables, document.metadata)) {
    yield* citedRows([row], citations);
  }
}

/** Whether the config's strategy embeds its pieces over the network (not the local hashing embedder). */
function waitsOnEmbedder(config: NormalizedConfig): boolean {
  const { embedder } = config as { embedder?: { provider: string } };
  return embedder !== undefined && embedder.provider !== 'hashing';
}

/** A document's stored rows from its table, with the document's metadata and its citations. */
function storedRowsOf(document: Document, table: ChunkTable): NewChunk[] {
  return [...citedRows(rowsOf(document.content, table, document.metadata), citationsOf(document.provenance))];
}

/**
 * The documents of a slice, read and chunked ahead of the writer: documents are read in batches
 * and go to the chunking threads in tasks of several as soon as they are read (a task per
 * document cost the event loop a hand-over, a message channel and its messages per document);
 * the threads work through batches while the writer writes earlier ones, as long as at most
 * 2 × batchDocuments documents and AHEAD_CHARS of text are ahead. `next()` waits for the first
 * document not yet taken and takes with it every following one already chunked.
 */
export class DocumentsAhead {
  readonly #ids: readonly string[];
  readonly #options: AheadOptions;
  readonly #ahead: AheadDocument[] = [];
  #read = 0;
  #aheadChars = 0;
  #reading: Promise<void> | undefined;
  #readFailure: { error: unknown } | undefined;

  constructor(ids: readonly string[], options: AheadOptions) {
    this.#ids = ids;
    this.#options = options;
    // Every thread task in flight listens to the signal until it ends: at most one per document
    // ahead (documents waiting on a remote embedder go one to a task), so that many are expected.
    setMaxListeners(2 * options.batchDocuments + 1, options.signal);
  }

  /** The next batch in plan order; undefined once every document was taken. */
  async next(): Promise<Batch | undefined> {
    this.#options.signal.throwIfAborted();
    if (this.#ahead.length === 0) await this.#readMore();
    if (this.#readFailure) throw this.#readFailure.error;
    // A read cut short by the signal leaves nothing ahead: that is not the end of the slice.
    this.#options.signal.throwIfAborted();
    const head = this.#ahead[0];
    if (!head) return undefined;
    if (head.kind === 'streamed') {
      this.#take(1);
      return { kind: 'streamed', document: head.document };
    }
    if (head.kind === 'chunked') await head.rows;
    let count = 1;
    while (count < this.#options.batchDocuments) {
      const following = this.#ahead[count];
      if (!following || following.kind === 'streamed' || (following.kind === 'chunked' && !following.ready))
        break;
      count += 1;
    }
    return { kind: 'chunked', documents: this.#take(count) };
  }

  #take(count: number): AheadDocument[] {
    const taken = this.#ahead.splice(0, count);
    for (const entry of taken)
      if (entry.kind === 'chunked') this.#aheadChars -= entry.document.content.length;
    this.#readMore().catch(() => undefined);
    return taken;
  }

  /** Reads (and starts chunking) documents while there is room ahead; one reader at a time. */
  #readMore(): Promise<void> {
    this.#reading ??= this.#fill()
      .catch((error: unknown) => {
        this.#readFailure = { error };
      })
      .finally(() => {
        this.#reading = undefined;
      });
    return this.#reading;
  }

  async #fill(): Promise<void> {
    const { batchDocuments, database } = this.#options;
    while (
      this.#read < this.#ids.length &&
      this.#ahead.length < 2 * batchDocuments &&
      this.#aheadChars < AHEAD_CHARS &&
      !this.#options.signal.aborted
    ) {
      const ids = this.#ids.slice(this.#read, this.#read + batchDocuments);
      this.#read += ids.length;
      const found = new Map(
        (await database.documents.getManyForProcessing(ids)).map((document) => [document.id, document]),
      );
      this.#queue(ids.map((documentId) => found.get(documentId) ?? { gone: documentId }));
    }
  }

  /**
   * Queues a batch as read: its documents to chunk ahead go to the threads TASK_DOCUMENTS to a
   * task, or one task each when they wait on a remote embedder (they wait in parallel, and each is
   * written as soon as its own answer is in).
   */
  #queue(batch: readonly (Document | { gone: string })[]): void {
    const chunked = batch.filter(
      (entry): entry is Document => !('gone' in entry) && entry.content.length <= STREAMED_DOCUMENT_CHARS,
    );
    const size = waitsOnEmbedder(this.#options.config) ? 1 : TASK_DOCUMENTS;
    const groups = Array.from({ length: Math.ceil(chunked.length / size) }, (_, group) =>
      chunked.slice(group * size, (group + 1) * size),
    );
    const tasks = new Map<Document, { tables: Promise<ChunkTable[]>; position: number }>();
    for (const group of groups) {
      const tables = this.#tablesOf(group);
      for (const [position, document] of group.entries()) tasks.set(document, { tables, position });
    }
    for (const entry of batch) {
      const task = 'gone' in entry ? undefined : tasks.get(entry);
      if ('gone' in entry) this.#ahead.push({ kind: 'gone', documentId: entry.gone });
      else if (task) this.#ahead.push(this.#chunked(entry, task.tables, task.position));
      else this.#ahead.push({ kind: 'streamed', document: entry });
    }
  }

  #tablesOf(documents: readonly Document[]): Promise<ChunkTable[]> {
    const { executor, config, signal } = this.#options;
    const texts = documents.map((document) => ({
      text: document.content,
      title: documentContextOf(document).title,
      outline: outlineOf(document.provenance),
    }));
    return executor.tablesOfMany(texts, config, { signal });
  }

  /** The document's place in its task: its rows once the task has made its table. */
  #chunked(document: Document, tables: Promise<ChunkTable[]>, position: number): AheadDocument {
    this.#aheadChars += document.content.length;
    const entry: AheadDocument = {
      kind: 'chunked',
      document,
      rows: tables.then((made) => storedRowsOf(document, made[position] as ChunkTable)),
      ready: false,
    };
    // Settled ones are what a batch may take without waiting; a failure is thrown when it is taken.
    entry.rows.then(
      () => {
        entry.ready = true;
      },
      () => undefined,
    );
    return entry;
  }
}
