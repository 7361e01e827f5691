/** Argument checks shared by both implementations of each port, so they reject the same inputs. */

export function assertTtlSeconds(ttlSeconds: number): void {
  if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds <= 0) {
    throw new RangeError(`ttlSeconds must be a positive integer, got ${ttlSeconds}`);
  }
}

export function assertRateLimit(limit: number, windowMs: number): void {
  if (!Number.isSafeInteger(limit) || limit <= 0) {
    throw new RangeError(`limit must be a positive integer, got ${limit}`);
  }
  if (!Number.isSafeInteger(windowMs) || windowMs <= 0) {
    throw new RangeError(`windowMs must be a positive integer, got ${windowMs}`);
  }
}

export function assertWanted(wanted: number): void {
  if (!Number.isSafeInteger(wanted) || wanted < 0) {
    throw new RangeError(`wanted must be a non-negative integer, got ${wanted}`);
  }
}
