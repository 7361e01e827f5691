import type { Database, Operation, OperationStatus } from '@chunkflow/db';
import { InvalidStateTransitionError } from '@chunkflow/errors';
import type { OperationOutcomeObserver } from '../metrics/service-metrics.ts';
import type { Logger } from '../ports.ts';
import type { ProgressEventInput } from '../progress/progress-events.ts';
import type { ProgressStream } from '../progress/progress-stream.ts';
import type { StatisticsService } from '../statistics/statistics-service.ts';

/** The error kept on a failed operation: what its tenant may see of it. */
export interface OperationFailure {
  code: string;
  message: string;
  correlationId: string | undefined;
}

/**
 * Every status change of an operation goes through here: the repository's compare-and-set
 * transition (the one place legal moves are enforced), then the progress event announcing it and
 * the invalidation of its collection's statistics.
 */
export class OperationLifecycle {
  readonly #database: Database;
  readonly #progress: ProgressStream;
  readonly #statistics: StatisticsService;
  readonly #logger: Logger;
  readonly #outcomes: OperationOutcomeObserver;

  constructor(dependencies: {
    database: Database;
    progress: ProgressStream;
    statistics: StatisticsService;
    logger: Logger;
    outcomes: OperationOutcomeObserver;
  }) {
    this.#database = dependencies.database;
    this.#progress = dependencies.progress;
    this.#statistics = dependencies.statistics;
    this.#logger = dependencies.logger;
    this.#outcomes = dependencies.outcomes;
  }

  /** `documentPlan`: the documents it will work through, stored with it for resumed attempts. */
  async start(operationId: string, documentPlan: string[]): Promise<Operation> {
    const documentsTotal = documentPlan.length;
    const operation = await this.#move(operationId, ['pending'], 'processing', {
      documentsTotal,
      documentPlan,
    });
    await this.announce({ type: 'started', operationId, documentsTotal });
    return operation;
  }

  async complete(operationId: string): Promise<Operation> {
    const operation = await this.#move(operationId, ['processing'], 'completed');
    this.#outcomes.operationFinished('completed');
    await this.announce({
      type: 'completed',
      operationId,
      ...countersOf(operation),
      processingMs: operation.processingMs,
    });
    return operation;
  }

  async cancel(operationId: string): Promise<Operation> {
    const operation = await this.#move(operationId, ['pending', 'processing'], 'cancelled');
    this.#outcomes.operationFinished('cancelled');
    await this.announce({ type: 'cancelled', operationId, ...countersOf(operation) });
    return operation;
  }

  /** Fails an operation that has not ended yet; one that already has is left as it is. */
  async fail(operationId: string, failure: OperationFailure): Promise<Operation | undefined> {
    try {
      const error = { ...failure, correlationId: failure.correlationId ?? null };
      const operation = await this.#move(operationId, ['pending', 'processing'], 'failed', { error });
      this.#outcomes.operationFinished('failed');
      await this.announce({
        type: 'failed',
        operationId,
        ...countersOf(operation),
        error: { code: failure.code, message: failure.message },
      });
      return operation;
    } catch (error) {
      if (error instanceof InvalidStateTransitionError) return undefined;
      throw error;
    }
  }

  /** A document's chunks were replaced: its collection's figures changed, and subscribers hear of it. */
  async documentCompleted(
    operation: Pick<Operation, 'tenantId' | 'collectionId'>,
    event: Extract<ProgressEventInput, { type: 'document_completed' }>,
  ): Promise<void> {
    await this.#statistics.invalidate(operation.tenantId, operation.collectionId);
    await this.announce(event);
  }

  /** Calls `listener` on every progress announcement of the operation (a cancellation announces itself). */
  announcements(operationId: string, listener: () => void): Promise<() => Promise<void>> {
    return this.#progress.announcements(operationId, listener);
  }

  /** Progress is best effort: a subscriber that misses an event still gets the final state. */
  async announce(event: ProgressEventInput): Promise<void> {
    try {
      await this.#progress.publish(event);
    } catch (error) {
      this.#logger.warn({ err: error, operationId: event.operationId, event: event.type }, 'progress lost');
    }
  }

  async #move(
    operationId: string,
    from: OperationStatus[],
    to: OperationStatus,
    patch?: Parameters<Database['operations']['transition']>[3],
  ): Promise<Operation> {
    const operation = await this.#database.operations.transition(operationId, from, to, patch);
    await this.#statistics.invalidate(operation.tenantId, operation.collectionId);
    return operation;
  }
}

export function countersOf(operation: Operation) {
  return {
    documentsDone: operation.documentsDone,
    documentsTotal: operation.documentsTotal,
    chunksCreated: operation.chunksCreated,
  };
}
