import { setTimeout as delay } from 'node:timers/promises';
import type { NormalizedConfig } from '@chunkflow/chunkers';
import type { BatchDocument, BatchOutcome, Database, Document, Operation } from '@chunkflow/db';
import {
  type ApplicationError,
  type ExceptionTranslator,
  InvalidStateTransitionError,
  newCorrelationId,
  runWithCorrelation,
} from '@chunkflow/errors';
import type { ConfigBuilder } from '../chunking/config-builder.ts';
import type { ChunkingExecutor } from '../chunking/executor.ts';
import { type ChunkingJob, type JobProcessor, PermanentJobError, type SliceJob } from '../jobs/job-queue.ts';
import type { Logger } from '../ports.ts';
import { type AheadDocument, DocumentsAhead, documentRows } from './documents-ahead.ts';
import type { OperationFailure, OperationLifecycle } from './operation-lifecycle.ts';
import { progressOfDonePrefix, sliceBounds, sliceCount } from './operation-slices.ts';
import { OperationWatch, type OperationWatchSettings } from './operation-watch.ts';

/** The batch's documents still there, with their rows (every one is ready: the batch waited). */
async function writableDocuments(documents: readonly AheadDocument[]): Promise<BatchDocument[]> {
  const writable: BatchDocument[] = [];
  for (const entry of documents) {
    if (entry.kind === 'chunked') writable.push({ documentId: entry.document.id, chunks: await entry.rows });
  }
  return writable;
}

/** The batch's last document, for the progress event (a deleted one has no name left). */
function lastDocumentOf(documents: readonly AheadDocument[]): { id: string; name: string } {
  const last = documents.at(-1);
  if (!last) throw new Error('an empty batch');
  return last.kind === 'gone' ? { id: last.documentId, name: '' } : last.document;
}

/** Failures worth another attempt: the database or Redis was unreachable or too slow. */
const TRANSIENT_CODES = new Set(['DEPENDENCY_UNAVAILABLE', 'TIMEOUT']);
/** Waits between tries to record a given-up operation's failure: doubling from 1 s, at most 30 s. */
const RECORD_RETRY_MS = 1_000;
const RECORD_RETRY_MAX_MS = 30_000;

/** How a pass over a slice ended: every document written, or the operation stopped (`ended`); or another attempt wrote a batch of it first (`taken`). */
type SliceEnd = 'ended' | 'taken';

export interface SlicingSettings {
  /** Documents per slice of a plan (see operation-slices.ts). */
  sliceDocuments: number;
  /** Most documents written in one transaction. */
  batchDocuments: number;
}

/**
 * Runs chunking operations as the job queue hands them over (see JobProcessor). `split` starts an
 * operation: its plan (the collection's documents, or those of its list) is fixed and cut into
 * slices, and each slice becomes a job any worker process may take. A slice is worked through by
 * a pipeline: its documents are read in batches and chunked ahead on the executor's threads
 * (DocumentsAhead) while the writer writes earlier ones, each batch in one transaction with the
 * operation's counters and the slice's progress (writeOperationBatch). So an attempt that resumes
 * a slice after a crash, a retry or a takeover starts after its last committed batch, and every
 * count is exact. A cancellation stops the chunking in flight at once (OperationWatch) and the
 * writer at its next batch. `finish` completes the operation once every slice has succeeded.
 */
export class OperationProcessor implements JobProcessor {
  readonly #database: Database;
  readonly #lifecycle: OperationLifecycle;
  readonly #configBuilder: ConfigBuilder;
  readonly #executor: ChunkingExecutor;
  readonly #translator: ExceptionTranslator;
  readonly #logger: Logger;
  readonly #watchSettings: OperationWatchSettings;
  readonly #slicing: SlicingSettings;

  constructor(dependencies: {
    database: Database;
    lifecycle: OperationLifecycle;
    configBuilder: ConfigBuilder;
    executor: ChunkingExecutor;
    translator: ExceptionTranslator;
    logger: Logger;
    watch: OperationWatchSettings;
    slicing: SlicingSettings;
  }) {
    this.#database = dependencies.database;
    this.#lifecycle = dependencies.lifecycle;
    this.#configBuilder = dependencies.configBuilder;
    this.#executor = dependencies.executor;
    this.#translator = dependencies.translator;
    this.#logger = dependencies.logger;
    this.#watchSettings = dependencies.watch;
    this.#slicing = dependencies.slicing;
  }

  async split(job: ChunkingJob): Promise<number> {
    const slices = await this.#attempt(job, async (operation) => {
      // An invalid config fails the operation before it starts.
      this.#configBuilder.build(operation.strategy, operation.config);
      const slices = await this.#begin(operation);
      if (slices !== undefined) {
        this.#logger.info(
          { operationId: operation.id, documentsTotal: operation.documentsTotal, slices },
          'operation split into slices',
        );
      }
      return slices ?? 0;
    });
    return slices ?? 0;
  }

  runSlice(job: SliceJob): Promise<void> {
    return this.#attempt(job, async (operation) => {
      if (operation.status !== 'processing') return;
      await this.#runSlice(operation, job.slice);
    });
  }

  finish(job: ChunkingJob): Promise<void> {
    return this.#attempt(job, async (operation) => {
      if (operation.status !== 'processing') return;
      if (operation.documentsDone !== operation.documentsTotal) {
        throw new Error(
          `every slice succeeded yet ${operation.documentsDone} of ${operation.documentsTotal} documents are done`,
        );
      }
      await this.#finish(operation.id);
      await this.#discardUnfinishedSets(operation.id);
    });
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

  /**
   * One attempt at a step of a runnable operation (pending or processing; others are skipped), in
   * the correlation of the request that applied it. Transient failures are thrown to be retried;
   * any other fails the operation and is thrown as permanent.
   */
  #attempt<T>(
    job: ChunkingJob,
    step: (operation: Operation) => Promise<T | undefined>,
  ): Promise<T | undefined> {
    return runWithCorrelation(job.correlationId ?? newCorrelationId(), async () => {
      const { operationId } = job;
      const operation = await this.#database.operations.getById(operationId);
      if (!operation || (operation.status !== 'pending' && operation.status !== 'processing')) {
        this.#logger.info({ operationId, status: operation?.status }, 'operation not runnable; skipped');
        return undefined;
      }
      try {
        return await step(operation);
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
    });
  }

  async #runSlice(operation: Operation, slice: number): Promise<void> {
    const { id: operationId } = operation;
    const config = this.#configBuilder.build(operation.strategy, operation.config);
    const watch = await OperationWatch.start(
      operationId,
      {
        database: this.#database,
        announcements: (id, listener) => this.#lifecycle.announcements(id, listener),
        logger: this.#logger,
      },
      this.#watchSettings,
    );
    try {
      // Another attempt may be writing the slice too (a job taken over while its first worker still
      // ran): when a batch of that one lands first, this one goes on from where the slice got to.
      while ((await this.#runSliceFrom(operation, slice, config, watch.signal)) === 'taken') {
        this.#logger.info({ operationId, slice }, 'slice moved on by another attempt; reading it again');
      }
    } catch (error) {
      if (!watch.stoppedFromOutside) throw error;
      this.#logger.info({ operationId, slice }, 'operation stopped while documents were in flight');
    } finally {
      watch.stop();
      await this.#lifecycle.flushProgress(operationId);
    }
  }

  /** Works through the slice from its stored progress; see SliceEnd. */
  async #runSliceFrom(
    operation: Operation,
    slice: number,
    config: NormalizedConfig,
    signal: AbortSignal,
  ): Promise<SliceEnd> {
    const { id: operationId } = operation;
    const slicing = await this.#database.operations.slices(operationId);
    const slices = slicing?.sliceProgress.length ?? 0;
    if (!slicing || slice >= slices) {
      this.#logger.warn({ operationId, slice, slices }, 'slice of no such operation split; skipped');
      return 'ended';
    }
    const { start, end } = sliceBounds(slicing.plan.length, slices, slice);
    const done = slicing.sliceProgress[slice] ?? 0;
    if (start + done >= end) return 'ended';
    this.#logger.info({ operationId, slice, resumedAt: done, documents: end - start }, 'operation running');
    // Documents chunked ahead and never written (the slice stopped) are abandoned with it.
    const abandon = new AbortController();
    try {
      const ahead = new DocumentsAhead(slicing.plan.slice(start + done, end), {
        database: this.#database,
        executor: this.#executor,
        config,
        batchDocuments: this.#slicing.batchDocuments,
        signal: AbortSignal.any([signal, abandon.signal]),
      });
      return await this.#writeSlice(operation, { slice, done }, ahead, config, signal);
    } finally {
      abandon.abort();
    }
  }

  /** Writes the slice's batches as they come, until the slice ends, the operation stops or another attempt moved the slice on. */
  async #writeSlice(
    operation: Operation,
    position: { slice: number; done: number },
    ahead: DocumentsAhead,
    config: NormalizedConfig,
    signal: AbortSignal,
  ): Promise<SliceEnd> {
    const { id: operationId } = operation;
    let { done } = position;
    for (let batch = await ahead.next(); batch; batch = await ahead.next()) {
      const counted = batch.kind === 'streamed' ? 1 : batch.documents.length;
      const outcome =
        batch.kind === 'streamed'
          ? await this.#writeStreamed(
              operation,
              { slice: position.slice, done },
              batch.document,
              config,
              signal,
            )
          : await this.#database.chunks.writeOperationBatch({
              operationId,
              slice: position.slice,
              sliceDoneBefore: done,
              documentsDone: counted,
              documents: await writableDocuments(batch.documents),
            });
      if (!outcome.written && outcome.status === 'processing') return 'taken';
      if (!outcome.written) {
        this.#logger.info(
          { operationId, slice: position.slice, status: outcome.status },
          'operation stopped between batches',
        );
        return 'ended';
      }
      done += counted;
      const last = batch.kind === 'streamed' ? batch.document : lastDocumentOf(batch.documents);
      await this.#lifecycle.documentsCompleted(operation, {
        type: 'document_completed',
        operationId,
        documentsDone: outcome.documentsDone,
        documentsTotal: outcome.documentsTotal,
        chunksCreated: outcome.chunksCreated,
        currentDocument: { id: last.id, name: last.name },
      });
    }
    return 'ended';
  }

  /**
   * A document too long to chunk ahead: its tables are written as the thread makes them, in short
   * transactions (the embedded database serves nothing else during one), then counted.
   */
  async #writeStreamed(
    operation: Operation,
    position: { slice: number; done: number },
    document: Document,
    config: NormalizedConfig,
    signal: AbortSignal,
  ): Promise<BatchOutcome> {
    // A writer that ends without reading every table (the document was deleted meanwhile) must
    // not leave the thread waiting for it to take the rest.
    const writingEnded = new AbortController();
    const rows = documentRows(
      document,
      this.#executor,
      config,
      AbortSignal.any([signal, writingEnded.signal]),
    );
    let chunks: number;
    try {
      chunks = await this.#database.chunks.replaceDocumentChunks(document.id, rows, {
        operationId: operation.id,
      });
    } finally {
      writingEnded.abort();
    }
    return this.#database.chunks.writeOperationBatch({
      operationId: operation.id,
      slice: position.slice,
      sliceDoneBefore: position.done,
      documentsDone: 1,
      documents: [],
      chunksAlreadyLive: chunks,
    });
  }

  /**
   * Moves a pending operation to processing with its plan and slices (stored with it); a
   * processing one is resumed as it was split. One that started before plans were stored reads
   * its documents again, and one that started before slices existed is given slices that count
   * its finished documents as done. Undefined when it was cancelled (or taken) meanwhile.
   */
  async #begin(operation: Operation): Promise<number | undefined> {
    const { documents, operations } = this.#database;
    const { sliceDocuments } = this.#slicing;
    if (operation.status === 'processing') {
      const stored = await operations.slices(operation.id);
      if (stored && stored.sliceProgress.length > 0) return stored.sliceProgress.length;
      const plan =
        stored && (stored.plan.length > 0 || operation.documentsTotal === 0)
          ? stored.plan
          : await documents.idsForProcessing(operation.collectionId, operation.documentIds);
      const slices = sliceCount(plan.length, sliceDocuments);
      if (slices === 0) return 0;
      const progress = progressOfDonePrefix(plan.length, slices, operation.documentsDone);
      return (await operations.initialiseSlices(operation.id, progress)).length;
    }
    const plan = await documents.idsForProcessing(operation.collectionId, operation.documentIds);
    const slices = sliceCount(plan.length, sliceDocuments);
    try {
      await this.#lifecycle.start(operation.id, plan, slices);
      return slices;
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
