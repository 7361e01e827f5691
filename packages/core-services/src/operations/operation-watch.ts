import type { Database } from '@chunkflow/db';
import { BudgetExceededError, CancelledError } from '@chunkflow/errors';
import type { Logger } from '../ports.ts';

export interface OperationWatchSettings {
  /** How often the operation's status is read while it runs (a cancellation is seen this fast). */
  pollMs: number;
  /** How long one attempt may run before its work is abandoned and the operation failed. */
  timeoutMs: number;
}

/**
 * The abort signal of one running attempt of an operation: it fires when the operation stops
 * being `processing` (cancelled through any server, or ended elsewhere), with a CancelledError,
 * or when the attempt's deadline passes, with a BudgetExceededError. Work given the signal stops
 * at once: a chunking task's thread is terminated, embedder calls are aborted.
 */
export class OperationWatch {
  readonly #controller = new AbortController();
  readonly #deadline: NodeJS.Timeout;
  #poll: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(
    readonly operationId: string,
    database: Database,
    settings: OperationWatchSettings,
    logger: Logger,
  ) {
    this.#deadline = setTimeout(
      () => this.#controller.abort(new BudgetExceededError('operation', settings.timeoutMs)),
      settings.timeoutMs,
    );
    const poll = async () => {
      try {
        const status = await database.operations.statusOf(operationId);
        if (status !== 'processing') {
          this.#controller.abort(new CancelledError('operation', { details: { status } }));
          return;
        }
      } catch (error) {
        // A missed poll only delays noticing a cancellation; the next one tries again.
        logger.warn({ err: error, operationId }, 'operation status poll failed');
      }
      if (!this.#stopped) this.#poll = setTimeout(poll, settings.pollMs);
    };
    this.#poll = setTimeout(poll, settings.pollMs);
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** True when the operation was stopped from outside (cancelled), not by its own failure or deadline. */
  get stoppedFromOutside(): boolean {
    return this.signal.aborted && this.signal.reason instanceof CancelledError;
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#deadline);
    clearTimeout(this.#poll);
  }
}
