import { setTimeout as delay } from 'node:timers/promises';
import type { NormalizedConfig } from '@chunkflow/chunkers';
import type { Database, Document, NewChunk, Operation } from '@chunkflow/db';
import {
  type ApplicationError,
  type ExceptionTranslator,
  InvalidStateTransitionError,
  newCorrelationId,
  runWithCorrelation,
} from '@chunkflow/errors';
import { documentContextOf } from '../chunking/chunk-output.ts';
import { storedChunks } from '../chunking/chunk-table.ts';
import type { ConfigBuilder } from '../chunking/config-builder.ts';
import type { ChunkingExecutor } from '../chunking/executor.ts';
import { citationsOf, citedRows, outlineOf } from '../documents/chunk-citations.ts';
import { type ChunkingJob, type JobProcessor, PermanentJobError } from '../jobs/job-queue.ts';
import type { Logger } from '../ports.ts';
import type { OperationFailure, OperationLifecycle } from './operation-lifecycle.ts';
import { OperationWatch, type OperationWatchSettings } from './operation-watch.ts';

/** Failures worth another attempt: the database or Redis was unreachable or too slow. */
const TRANSIENT_CODES = new Set(['DEPENDENCY_UNAVAILABLE', 'TIMEOUT']);
/** Waits between tries to record a given-up operation's failure: doubling from 1 s, at most 30 s. */
const RECORD_RETRY_MS = 1_000;
const RECORD_RETRY_MAX_MS = 30_000;

/** Each row with its citations (pages, heading path) from the document's provenance, as it passes. */
async function* withCitations(
  rows: AsyncIterable<NewChunk>,
  citations: Parameters<typeof citedRows>[1],
): AsyncGenerator<NewChunk> {
  for await (const row of rows) yield* citedRows([row], citations);
}

/**
 * Runs a chunking operation: each document of its plan (the collection's documents, or those of
 * the operation's list, fixed when it starts) is chunked with the operation's strategy on the
 * executor's worker threads, never on this event loop, and its chunks replaced atomically.
 * Progress counters are written after each document as one pair, so an attempt that resumes after
 * a crash or a retry starts at the first unfinished document of the same plan and ends with exact
 * counts. A cancellation stops the work in flight as soon as it is announced (OperationWatch).
 */
export class OperationProcessor implements JobProcessor {
  readonly #database: Database;
  readonly #lifecycle: OperationLifecycle;
  readonly #configBuilder: ConfigBuilder;
  readonly #executor: ChunkingExecutor;
  readonly #translator: ExceptionTranslator;
  readonly #logger: Logger;
  readonly #watchSettings: OperationWatchSettings;

  constructor(dependencies: {
    database: Database;
    lifecycle: OperationLifecycle;
    configBuilder: ConfigBuilder;
    executor: ChunkingExecutor;
    translator: ExceptionTranslator;
    logger: Logger;
    watch: OperationWatchSettings;
  }) {
    this.#database = dependencies.database;
    this.#lifecycle = dependencies.lifecycle;
    this.#configBuilder = dependencies.configBuilder;
    this.#executor = dependencies.executor;
    this.#translator = dependencies.translator;
    this.#logger = dependencies.logger;
    this.#watchSettings = dependencies.watch;
  }

  run(job: ChunkingJob): Promise<void> {
    return runWithCorrelation(job.correlationId ?? newCorrelationId(), () => this.#run(job.operationId));
  }

  giveUp(job: ChunkingJob, error: unknown): Promise<void> {
    return runWithCorrelation(job.correlationId ?? newCorrelationId(), async () => {
      const failure = this.#failure(this.#translator.translate(error));
      // The outage that used up the attempts may still be on: nothing else would ever record the
      // failure, so it is written once the database answers again.
      for (let retry = 0; ; retry += 1) {
        try {
          await this.#lifecycle.fail(job.operationId, failure);
          await this.#discardUnfinishedSets(job.operationId);
          return;
        } catch (caught) {
          if (!TRANSIENT_CODES.has(this.#translator.translate(caught).code)) throw caught;
          this.#logger.warn(
            { err: caught, operationId: job.operationId },
            'failure not recorded yet; will retry',
          );
          await delay(Math.min(RECORD_RETRY_MS * 2 ** retry, RECORD_RETRY_MAX_MS), undefined, { ref: false });
        }
      }
    });
  }

  async #run(operationId: string): Promise<void> {
    const operation = await this.#database.operations.getById(operationId);
    if (!operation || (operation.status !== 'pending' && operation.status !== 'processing')) {
      this.#logger.info({ operationId, status: operation?.status }, 'operation not runnable; skipped');
      return;
    }
    try {
      await this.#process(operation);
    } catch (caught) {
      const error = this.#translator.translate(caught);
      if (TRANSIENT_CODES.has(error.code)) {
        this.#logger.warn({ err: caught, operationId }, 'operation attempt failed; will retry');
        throw error;
      }
      this.#logger.error({ err: caught, operationId }, 'operation failed');
      await this.#lifecycle.fail(operationId, this.#failure(error));
      await this.#discardUnfinishedSets(operationId);
      throw new PermanentJobError(error.message, { cause: caught });
    }
  }

  async #process(stored: Operation): Promise<void> {
    const config = this.#configBuilder.build(stored.strategy, stored.config);
    const begun = await this.#begin(stored);
    if (!begun) return;
    const { operation, plan } = begun;
    const { id: operationId, documentsTotal } = operation;
    const watch = await OperationWatch.start(
      operationId,
      {
        database: this.#database,
        announcements: (id, listener) => this.#lifecycle.announcements(id, listener),
        logger: this.#logger,
      },
      this.#watchSettings,
    );
    this.#logger.info(
      { operationId, documentsTotal, resumedAt: operation.documentsDone },
      'operation running',
    );
    try {
      if (!(await this.#runPlan(operation, plan, config, watch.signal))) return;
    } catch (error) {
      if (!watch.stoppedFromOutside) throw error;
      this.#logger.info({ operationId }, 'operation stopped while a document was in flight');
      return;
    } finally {
      watch.stop();
    }
    await this.#finish(operationId);
  }

  /** Works through the plan from the first unfinished document; false when the operation was stopped. */
  async #runPlan(
    operation: Operation,
    plan: readonly string[],
    config: NormalizedConfig,
    signal: AbortSignal,
  ): Promise<boolean> {
    const { id: operationId, documentsTotal } = operation;
    let { documentsDone, chunksCreated } = operation;
    for (const documentId of plan.slice(documentsDone)) {
      signal.throwIfAborted();
      const document = await this.#database.documents.getForProcessing(documentId);
      // A document deleted since the plan was made counts as done, with no chunks.
      if (document) chunksCreated += await this.#store(document, config, { operationId, signal });
      documentsDone += 1;
      const status = await this.#database.operations.setProgress(operationId, {
        documentsDone,
        chunksCreated,
      });
      if (status !== 'processing') {
        this.#logger.info({ operationId, status }, 'operation stopped between documents');
        return false;
      }
      await this.#lifecycle.documentCompleted(operation, {
        type: 'document_completed',
        operationId,
        documentsDone,
        documentsTotal,
        chunksCreated,
        currentDocument: { id: documentId, name: document?.name ?? '' },
      });
    }
    return true;
  }

  /**
   * Chunks a document on a thread and writes the tables as they arrive (a few at a time, never the
   * whole document's); answers the number of chunks stored.
   */
  async #store(
    document: Document,
    config: NormalizedConfig,
    { operationId, signal }: { operationId: string; signal: AbortSignal },
  ): Promise<number> {
    // A writer that ends without reading every table (the document was deleted meanwhile) must
    // not leave the thread waiting for it to take the rest.
    const writingEnded = new AbortController();
    const tables = this.#executor.tables(document.content, config, {
      signal: AbortSignal.any([signal, writingEnded.signal]),
      title: documentContextOf(document).title,
      outline: outlineOf(document.provenance),
    });
    try {
      return await this.#database.chunks.replaceDocumentChunks(
        document.id,
        withCitations(
          storedChunks(document.content, tables, document.metadata),
          citationsOf(document.provenance),
        ),
        { operationId },
      );
    } finally {
      writingEnded.abort();
    }
  }

  /**
   * Moves a pending operation to processing with its plan (the documents it will work through,
   * stored with it); a processing one is resumed with the plan it stored. One that started before
   * plans were stored reads its documents again, as it did then.
   */
  async #begin(operation: Operation): Promise<{ operation: Operation; plan: string[] } | undefined> {
    const { documents, operations } = this.#database;
    if (operation.status === 'processing') {
      // An attempt that died (crash, lost lock) may have left the document it was writing.
      await this.#discardUnfinishedSets(operation.id);
      const stored = await operations.documentPlan(operation.id);
      const plan =
        stored.length > 0 || operation.documentsTotal === 0
          ? stored
          : await documents.idsForProcessing(operation.collectionId, operation.documentIds);
      return { operation, plan };
    }
    const plan = await documents.idsForProcessing(operation.collectionId, operation.documentIds);
    try {
      return { operation: await this.#lifecycle.start(operation.id, plan), plan };
    } catch (error) {
      // Cancelled (or taken) between our read and the transition: nothing to do.
      if (error instanceof InvalidStateTransitionError) return undefined;
      throw error;
    }
  }

  /**
   * Drops chunk sets that writers which died left unfinished, of operations that have ended or of
   * any writer long gone: call it when a process starts taking operations.
   */
  async discardAbandonedChunkSets(): Promise<void> {
    const discarded = await this.#database.chunks.discardUnfinishedSets();
    if (discarded > 0) this.#logger.info({ discarded }, 'abandoned chunk sets discarded');
  }

  /** The operation's unfinished chunk sets: best effort, a set left now goes at the next start. */
  async #discardUnfinishedSets(operationId: string): Promise<void> {
    try {
      const discarded = await this.#database.chunks.discardUnfinishedSets(operationId);
      if (discarded > 0) this.#logger.info({ operationId, discarded }, 'unfinished chunk sets discarded');
    } catch (error) {
      this.#logger.warn({ err: error, operationId }, 'unfinished chunk sets not discarded yet');
    }
  }

  async #finish(operationId: string): Promise<void> {
    try {
      await this.#lifecycle.complete(operationId);
    } catch (error) {
      if (!(error instanceof InvalidStateTransitionError)) throw error;
      this.#logger.info({ operationId }, 'operation ended elsewhere before it could complete');
    }
  }

  #failure(error: ApplicationError): OperationFailure {
    const { code, message, correlationId } = this.#translator.toPublic(error);
    return { code, message, correlationId };
  }
}
