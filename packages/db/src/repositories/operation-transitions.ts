import { InvalidStateTransitionError } from '@chunkflow/errors';
import type { OperationStatus } from '../types.ts';

/** The one place that says how an operation's status may move. */
const legalTransitions: Record<OperationStatus, readonly OperationStatus[]> = {
  // Failed while pending: refused by the engine, or out of retries, before it could start.
  pending: ['processing', 'failed', 'cancelled'],
  processing: ['completed', 'failed', 'cancelled'],
  completed: [],
  failed: [],
  cancelled: [],
};

export const terminalStatuses: readonly OperationStatus[] = ['completed', 'failed', 'cancelled'];

export function isLegalTransition(from: OperationStatus, to: OperationStatus): boolean {
  return legalTransitions[from].includes(to);
}

export function assertLegalTransition(from: OperationStatus, to: OperationStatus): void {
  if (!isLegalTransition(from, to)) throw new InvalidStateTransitionError(from, to);
}
