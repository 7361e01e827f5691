import type { Database } from '@chunkflow/db';
import { BudgetExceededError, CancelledError } from '@chunkflow/errors';
import type { Logger } from '../ports.ts';

export interface OperationWatchSettings {
  /**
   * How often the operation's status is read while it runs, as a safety net: a cancellation is
   * heard at once as a progress announcement, and this catches one that was lost.
   */
  pollMs: number;
  /** How long one attempt may run before its work is abandoned and the operation failed. */
  timeoutMs: number;
}

/** Calls `listener` on each progress announcement of the operation until the returned function is called. */
export type AnnouncementSource = (operationId: string, listener: () => void) => Promise<() => Promise<void>>;

/**
 * The abort signal of one running attempt of an operation: it fires when the operation stops
 * being `processing` (cancelled through any server, or ended elsewhere), with a CancelledError,
 * or when the attempt's deadline passes, with a BudgetExceededError. The status is read when the
 * operation's progress channel announces something (a cancellation announces itself, whichever
 * process made it) and on a slow safety poll. Work given the signal stops at once: a chunking
 * task's thread is terminated, embedder calls are aborted.
 */
export class OperationWatch {
  readonly #controller = new AbortController();
  readonly #deadline: NodeJS.Timeout;
  readonly #database: Database;
  readonly #logger: Logger;
  #poll: NodeJS.Timeout | undefined;
  #unsubscribe: (() => Promise<void>) | undefined;
  #reading: Promise<void> | undefined;
  #readAgain = false;
  #stopped = false;

  private constructor(
    readonly operationId: string,
    database: Database,
    readonly settings: OperationWatchSettings,
    logger: Logger,
  ) {
    this.#database = database;
    this.#logger = logger;
    this.#deadline = setTimeout(
      () => this.#controller.abort(new BudgetExceededError('operation', settings.timeoutMs)),
      settings.timeoutMs,
    );
  }

  /** Starts watching; without announcements (pub/sub unreachable) the safety poll alone serves. */
  static async start(
    operationId: string,
    dependencies: { database: Database; announcements: AnnouncementSource; logger: Logger },
    settings: OperationWatchSettings,
  ): Promise<OperationWatch> {
    const watch = new OperationWatch(operationId, dependencies.database, settings, dependencies.logger);
    try {
      watch.#unsubscribe = await dependencies.announcements(operationId, () => watch.#check());
    } catch (error) {
      dependencies.logger.warn({ err: error, operationId }, 'progress announcements not heard; polling only');
    }
    watch.#schedulePoll();
    return watch;
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
    this.#unsubscribe?.().catch((error: unknown) =>
      this.#logger.warn({ err: error, operationId: this.operationId }, 'progress unsubscribe failed'),
    );
  }

  #schedulePoll(): void {
    if (this.#stopped) return;
    this.#poll = setTimeout(() => {
      this.#check();
      this.#schedulePoll();
    }, this.settings.pollMs);
  }

  /** Reads the status; announcements arriving during a read cause one more read after it. */
  #check(): void {
    if (this.#stopped || this.signal.aborted) return;
    if (this.#reading) {
      this.#readAgain = true;
      return;
    }
    this.#reading = this.#readStatus().finally(() => {
      this.#reading = undefined;
      if (this.#readAgain) {
        this.#readAgain = false;
        this.#check();
      }
    });
  }

  async #readStatus(): Promise<void> {
    try {
      const status = await this.#database.operations.statusOf(this.operationId);
      if (status !== 'processing') {
        this.#controller.abort(new CancelledError('operation', { details: { status } }));
      }
    } catch (error) {
      // A missed read only delays noticing a cancellation; the next announcement or poll tries again.
      this.#logger.warn({ err: error, operationId: this.operationId }, 'operation status read failed');
    }
  }
}
