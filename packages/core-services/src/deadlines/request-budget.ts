import { BudgetExceededError } from '@chunkflow/errors';

export interface Deadline {
  /** Aborts when the client goes away (its reason: an AbortError) or the budget is spent (BudgetExceededError). */
  signal: AbortSignal;
  /** Stops the budget's timer; call when the work ends. */
  dispose(): void;
}

/**
 * The time one request may take (`REQUEST_TIMEOUT_MS`). Work handed the deadline's signal is
 * abandoned when it fires: the chunking engine stops between segments, a worker-pool task's
 * thread is terminated, and the request answers BUDGET_EXCEEDED (422) with its correlation id.
 */
export class RequestBudget {
  readonly budgetMs: number;

  constructor(budgetMs: number) {
    this.budgetMs = budgetMs;
  }

  /** A deadline for `operation` (named in the refusal), also ended by the client's own signal. */
  start(operation: string, clientSignal?: AbortSignal): Deadline {
    const budget = new AbortController();
    const { dispose } = this.startOn(operation, budget);
    return {
      signal: clientSignal ? AbortSignal.any([clientSignal, budget.signal]) : budget.signal,
      dispose,
    };
  }

  /**
   * A deadline for `operation` that aborts `controller` when the budget is spent: for a caller
   * that already holds the controller the client's departure aborts, so the work gets one signal
   * that either ends, with no second controller, listener or combined signal per request.
   */
  startOn(operation: string, controller: AbortController): Deadline {
    // Made when it fires, inside the request's async context: the error carries its correlation id.
    const timer = setTimeout(
      () => controller.abort(new BudgetExceededError(operation, this.budgetMs)),
      this.budgetMs,
    );
    timer.unref();
    return { signal: controller.signal, dispose: () => clearTimeout(timer) };
  }
}
