import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

const storage = new AsyncLocalStorage<string>();

/** Header values we accept as a caller's correlation id: short, printable, no separators to inject. */
const VALID_CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export const CORRELATION_HEADER = 'x-correlation-id';

export function newCorrelationId(): string {
  return randomUUID();
}

/** The caller's id when it is well formed, otherwise a fresh one. */
export function resolveCorrelationId(candidate: unknown): string {
  return typeof candidate === 'string' && VALID_CORRELATION_ID.test(candidate)
    ? candidate
    : newCorrelationId();
}

export function runWithCorrelation<T>(correlationId: string, fn: () => T): T {
  return storage.run(correlationId, fn);
}

export function currentCorrelationId(): string | undefined {
  return storage.getStore();
}
