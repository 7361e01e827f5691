import { randomUUID } from 'node:crypto';

/** The machine's Redis, shared with other test runs: only ever touch keys under a fresh prefix. */
export const SHARED_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function uniquePrefix(label: string): string {
  return `test-rm-${label}-${randomUUID().slice(0, 8)}`;
}
