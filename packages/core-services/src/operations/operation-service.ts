import type { Database, JsonObject, Operation, OperationStatus, Page } from '@chunkflow/db';
import { terminalStatuses } from '@chunkflow/db';
import { currentCorrelationId, NotFoundError } from '@chunkflow/errors';
import type { ConfigBuilder } from '../chunking/config-builder.ts';
import { DEFAULT_PRIORITY, type JobQueue } from '../jobs/job-queue.ts';
import type { AuthenticatedTenant, Logger } from '../ports.ts';
import { LOG_ENTRY_ID } from '../progress/event-log.ts';
import type { ProgressEvent } from '../progress/progress-events.ts';
import type { ProgressStream } from '../progress/progress-stream.ts';
import { countersOf, type OperationLifecycle } from './operation-lifecycle.ts';

export interface ApplyInput {
  collectionId: string;
  strategy: string;
  config?: Record<string, unknown> | undefined;
  /** Limit the operation to these documents of the collection; all of them when absent. */
  documentIds?: string[] | undefined;
  priority?: number | undefined;
}

export interface ApplyResult {
  operationId: string;
  status: OperationStatus;
  queuePosition: number;
  correlationId: string;
}

export interface ListOperationsInput {
  collectionId?: string | undefined;
  status?: OperationStatus | undefined;
  cursor?: string | undefined;
  limit: number;
}

export interface ProgressInput {
  operationId: string;
  lastEventId?: string | undefined;
}

/** Applying a strategy to a collection in the background, and watching or stopping it. */
export class OperationService {
  readonly #database: Database;
  readonly #configBuilder: ConfigBuilder;
  readonly #jobs: JobQueue;
  readonly #lifecycle: OperationLifecycle;
  readonly #progress: ProgressStream;
  readonly #logger: Logger;

  constructor(dependencies: {
    database: Database;
    configBuilder: ConfigBuilder;
    jobs: JobQueue;
    lifecycle: OperationLifecycle;
    progress: ProgressStream;
    logger: Logger;
  }) {
    this.#database = dependencies.database;
    this.#configBuilder = dependencies.configBuilder;
    this.#jobs = dependencies.jobs;
    this.#lifecycle = dependencies.lifecycle;
    this.#progress = dependencies.progress;
    this.#logger = dependencies.logger;
  }

  /**
   * Validates the config, records a pending operation and queues it; returns without waiting.
   * CONFLICT while another operation of the collection is pending or processing. A tenant's
   * `priority` may only lower its operation below the default: every tenant shares the queue,
   * so none may jump ahead of the others.
   */
  async apply(tenant: AuthenticatedTenant, input: ApplyInput): Promise<ApplyResult> {
    const config = this.#configBuilder.build(input.strategy, input.config);
    await this.#requireDocumentsOf(input.collectionId, input.documentIds);
    const correlationId = currentCorrelationId() ?? 'none';
    const operation = await this.#database.operations.create(tenant.id, {
      collectionId: input.collectionId,
      strategy: config.strategy,
      config: { ...config } as JsonObject,
      documentIds: input.documentIds ?? [],
      correlationId,
    });
    try {
      const { queuePosition } = await this.#jobs.enqueue(
        { operationId: operation.id, correlationId },
        { priority: Math.min(input.priority ?? DEFAULT_PRIORITY, DEFAULT_PRIORITY) },
      );
      this.#logger.info({ operationId: operation.id, queuePosition }, 'operation queued');
      return { operationId: operation.id, status: operation.status, queuePosition, correlationId };
    } catch (error) {
      // Nothing will ever run it: do not leave it pending.
      await this.#lifecycle.fail(operation.id, {
        code: 'DEPENDENCY_UNAVAILABLE',
        message: 'The job queue could not accept the operation',
        correlationId,
      });
      throw error;
    }
  }

  /**
   * A listed document outside the collection (another tenant's included) answers NOT_FOUND, naming
   * the first: the operation would skip it, yet record its id.
   */
  async #requireDocumentsOf(collectionId: string, documentIds: readonly string[] | undefined): Promise<void> {
    if (!documentIds?.length) return;
    const found = new Set(await this.#database.documents.idsForProcessing(collectionId, documentIds));
    const missing = documentIds.find((id) => !found.has(id));
    if (missing !== undefined) throw new NotFoundError('Document', missing);
  }

  /**
   * Queues again every operation that has not ended: for an in-process queue, which forgets its
   * jobs when the process stops. Re-queueing a running job is harmless (same id, same job).
   */
  async requeueUnfinished(): Promise<number> {
    const unfinished = await this.#database.operations.unfinished();
    for (const { id, correlationId } of unfinished) {
      await this.#jobs.enqueue({ operationId: id, ...(correlationId ? { correlationId } : {}) });
    }
    if (unfinished.length > 0)
      this.#logger.info({ operations: unfinished.length }, 'unfinished operations queued again');
    return unfinished.length;
  }

  async get(tenant: AuthenticatedTenant, id: string): Promise<Operation> {
    const operation = await this.#database.operations.get(tenant.id, id);
    if (!operation) throw new NotFoundError('Operation', id);
    return operation;
  }

  list(tenant: AuthenticatedTenant, input: ListOperationsInput): Promise<Page<Operation>> {
    const { cursor, limit, collectionId, status } = input;
    return this.#database.operations.list(
      tenant.id,
      { ...(collectionId ? { collectionId } : {}), ...(status ? { status } : {}) },
      { ...(cursor ? { cursor } : {}), limit },
    );
  }

  /** INVALID_STATE_TRANSITION when it has already ended; a running one stops chunking at once and writing at its next batch. */
  async cancel(tenant: AuthenticatedTenant, id: string): Promise<Operation> {
    await this.get(tenant, id);
    return this.#lifecycle.cancel(id);
  }

  /**
   * The operation's progress events after `lastEventId`, then live ones until it ends, each passed
   * through `envelope` (the transport's way to attach the id). An operation that ended while
   * nobody logged it (or whose log expired) still ends the stream, with an event rebuilt from its
   * stored state.
   */
  async *progress<Envelope>(
    tenant: AuthenticatedTenant,
    input: ProgressInput,
    envelope: (id: string, event: ProgressEvent) => Envelope,
    signal?: AbortSignal,
  ): AsyncGenerator<Envelope> {
    await this.get(tenant, input.operationId);
    const lastEventId =
      input.lastEventId && LOG_ENTRY_ID.test(input.lastEventId) ? input.lastEventId : undefined;
    const events = this.#progress.follow(input.operationId, lastEventId, {
      signal,
      finalEvent: () => this.#finalEvent(input.operationId),
    });
    for await (const { id, event } of events) yield envelope(id, event);
  }

  async #finalEvent(operationId: string): Promise<ProgressEvent | undefined> {
    const operation = await this.#database.operations.getById(operationId);
    if (!operation || !terminalStatuses.includes(operation.status)) return undefined;
    const base = {
      operationId,
      at: (operation.completedAt ?? operation.updatedAt).toISOString(),
      ...countersOf(operation),
    };
    if (operation.status === 'completed') {
      return { ...base, type: 'completed', processingMs: operation.processingMs };
    }
    if (operation.status === 'cancelled') return { ...base, type: 'cancelled' };
    return { ...base, type: 'failed', error: storedFailure(operation) };
  }
}

function storedFailure(operation: Operation): { code: string; message: string } {
  const error = operation.error as { code?: unknown; message?: unknown } | null;
  return {
    code: typeof error?.code === 'string' ? error.code : 'INTERNAL_ERROR',
    message: typeof error?.message === 'string' ? error.message : 'The operation failed',
  };
}
