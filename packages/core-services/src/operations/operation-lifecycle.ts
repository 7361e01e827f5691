import type { Database, Operation, OperationStatus } from '@chunkflow/db';
import { InvalidStateTransitionError } from '@chunkflow/errors';
import type { OperationOutcomeObserver } from '../metrics/service-metrics.ts';
import type { Logger } from '../ports.ts';
import { ProgressCoalescer } from '../progress/progress-coalescer.ts';
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
 * the invalidation of its collection's statistics. Progress between status changes is coalesced
 * (ProgressCoalescer): status changes are announced at once, after any progress still waiting.
 */
export class OperationLifecycle {
  readonly #database: Database;
  readonly #progress: ProgressStream;
  readonly #statistics: StatisticsService;
  readonly #logger: Logger;
  readonly #outcomes: OperationOutcomeObserver;
  readonly #coalescer: ProgressCoalescer<ProgressEventInput>;

  constructor(dependencies: {
    database: Database;
    progress: ProgressStream;
    statistics: StatisticsService;
    logger: Logger;
    outcomes: OperationOutcomeObserver;
    /** Progress events of one operation from this process are at least this far apart. */
    progressIntervalMs: number;
  }) {
    this.#database = dependencies.database;
    this.#progress = dependencies.progress;
    this.#statistics = dependencies.statistics;
    this.#logger = dependencies.logger;
    this.#outcomes = dependencies.outcomes;
    this.#coalescer = new ProgressCoalescer((event) => this.announce(event), dependencies.progressIntervalMs);
  }

  /**
   * `documentPlan`: the documents it will work through, stored with it for resumed attempts;
   * `sliceCount`: the slices it is cut into (see operation-slices.ts).
   */
  async start(operationId: string, documentPlan: string[], sliceCount: number): Promise<Operation> {
    const documentsTotal = documentPlan.length;
    const operation = await this.#move(operationId, ['pending'], 'processing', {
      documentsTotal,
      documentPlan,
      sliceProgress: new Array<number>(sliceCount).fill(0),
    });
    await this.announce({ type: 'started', operationId, documentsTotal });
    return operation;
  }

  async complete(operationId: string): Promise<Operation> {
    await this.#coalescer.flush(operationId);
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
    await this.#coalescer.flush(operationId);
    const operation = await this.#move(operationId, ['pending', 'processing'], 'cancelled');
    this.#outcomes.operationFinished('cancelled');
    await this.announce({ type: 'cancelled', operationId, ...countersOf(operation) });
    return operation;
  }

  /** Fails an operation that has not ended yet; one that already has is left as it is. */
  async fail(operationId: string, failure: OperationFailure): Promise<Operation | undefined> {
    await this.#coalescer.flush(operationId);
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

  /**
   * A batch of documents got its chunks: the collection's cached figures are dropped at once, and
   * subscribers hear of it coalesced (at most one event per interval, the newest counters).
   */
  async documentsCompleted(
    operation: Pick<Operation, 'tenantId' | 'collectionId'>,
    event: Extract<ProgressEventInput, { type: 'document_completed' }>,
  ): Promise<void> {
    await this.#statistics.invalidate(operation.tenantId, operation.collectionId);
    this.#coalescer.offer(event);
  }

  /** Publishes the operation's progress still waiting in this process (its work here has ended). */
  flushProgress(operationId: string): Promise<void> {
    return this.#coalescer.flush(operationId);
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
