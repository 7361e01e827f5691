/** Argument checks shared by both implementations of each port, so they reject the same inputs. */

export function assertTtlSeconds(ttlSeconds: number): void {
  if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds <= 0) {
    throw new RangeError(`ttlSeconds must be a positive integer, got ${ttlSeconds}`);
  }
}

/** Most admissions one consume takes (each is one entry of the window's log). */
export const MAX_ADMISSIONS_AT_ONCE = 1_000;

export function assertRateLimit(limit: number, windowMs: number, count = 1): void {
  if (!Number.isSafeInteger(count) || count <= 0 || count > MAX_ADMISSIONS_AT_ONCE) {
    throw new RangeError(`count must be an integer from 1 to ${MAX_ADMISSIONS_AT_ONCE}, got ${count}`);
  }
  if (!Number.isSafeInteger(limit) || limit <= 0) {
    throw new RangeError(`limit must be a positive integer, got ${limit}`);
  }
  if (!Number.isSafeInteger(windowMs) || windowMs <= 0) {
    throw new RangeError(`windowMs must be a positive integer, got ${windowMs}`);
  }
}
