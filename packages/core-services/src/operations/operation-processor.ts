import { type Chunk, chunkAsync } from '@chunkflow/chunkers';
import type { Database, NewChunk, Operation } from '@chunkflow/db';
import {
  type ApplicationError,
  type ExceptionTranslator,
  InvalidStateTransitionError,
  newCorrelationId,
  runWithCorrelation,
} from '@chunkflow/errors';
import type { ConfigBuilder } from '../chunking/config-builder.ts';
import { type ChunkingJob, type JobProcessor, PermanentJobError } from '../jobs/job-queue.ts';
import type { Logger } from '../ports.ts';
import type { OperationFailure, OperationLifecycle } from './operation-lifecycle.ts';

/** Failures worth another attempt: the database or Redis was unreachable or too slow. */
const TRANSIENT_CODES = new Set(['DEPENDENCY_UNAVAILABLE', 'TIMEOUT']);

/**
 * Runs a chunking operation: each document of the collection (or of the operation's list) is
 * chunked with the operation's strategy and its chunks replaced atomically. Progress counters are
 * written after each document as one pair, so an attempt that resumes after a crash or a retry
 * starts at the first unfinished document and ends with exact counts. A cancellation is noticed
 * between documents.
 */
export class OperationProcessor implements JobProcessor {
  readonly #database: Database;
  readonly #lifecycle: OperationLifecycle;
  readonly #configBuilder: ConfigBuilder;
  readonly #translator: ExceptionTranslator;
  readonly #logger: Logger;

  constructor(
    database: Database,
    lifecycle: OperationLifecycle,
    configBuilder: ConfigBuilder,
    translator: ExceptionTranslator,
    logger: Logger,
  ) {
    this.#database = database;
    this.#lifecycle = lifecycle;
    this.#configBuilder = configBuilder;
    this.#translator = translator;
    this.#logger = logger;
  }

  run(job: ChunkingJob): Promise<void> {
    return runWithCorrelation(job.correlationId ?? newCorrelationId(), () => this.#run(job.operationId));
  }

  giveUp(job: ChunkingJob, error: unknown): Promise<void> {
    return runWithCorrelation(job.correlationId ?? newCorrelationId(), async () => {
      await this.#lifecycle.fail(job.operationId, this.#failure(this.#translator.translate(error)));
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
      throw new PermanentJobError(error.message, { cause: caught });
    }
  }

  async #process(stored: Operation): Promise<void> {
    const config = this.#configBuilder.build(stored.strategy, stored.config);
    const documentIds = await this.#database.documents.idsForProcessing(
      stored.collectionId,
      stored.documentIds,
    );
    const operation = await this.#begin(stored, documentIds.length);
    if (!operation) return;
    const { id: operationId, documentsTotal } = operation;
    let { documentsDone, chunksCreated } = operation;
    this.#logger.info({ operationId, documentsTotal, resumedAt: documentsDone }, 'operation running');

    for (const documentId of documentIds.slice(documentsDone)) {
      const document = await this.#database.documents.getForProcessing(documentId);
      // A document deleted since the list was read counts as done, with no chunks.
      const chunks = document ? await chunkAsync(document.content, config) : [];
      chunksCreated += document
        ? await this.#database.chunks.replaceDocumentChunks(documentId, chunks.map(toNewChunk), {
            operationId,
          })
        : 0;
      documentsDone += 1;
      const status = await this.#database.operations.setProgress(operationId, {
        documentsDone,
        chunksCreated,
      });
      if (status !== 'processing') {
        this.#logger.info({ operationId, status }, 'operation stopped between documents');
        return;
      }
      await this.#lifecycle.announce({
        type: 'document_completed',
        operationId,
        documentsDone,
        documentsTotal,
        chunksCreated,
        currentDocument: { id: documentId, name: document?.name ?? '' },
      });
    }
    await this.#finish(operationId);
  }

  /** Moves a pending operation to processing; a processing one is resumed as it is. */
  async #begin(operation: Operation, documentsTotal: number): Promise<Operation | undefined> {
    if (operation.status === 'processing') return operation;
    try {
      return await this.#lifecycle.start(operation.id, documentsTotal);
    } catch (error) {
      // Cancelled (or taken) between our read and the transition: nothing to do.
      if (error instanceof InvalidStateTransitionError) return undefined;
      throw error;
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

function toNewChunk(chunk: Chunk): NewChunk {
  return {
    chunkIndex: chunk.index,
    startOffset: chunk.startOffset,
    endOffset: chunk.endOffset,
    charCount: chunk.charCount,
    tokenCount: chunk.tokenCount,
    content: chunk.content,
    metadata: chunk.metadata as NewChunk['metadata'],
  };
}
