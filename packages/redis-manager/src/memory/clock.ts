/** A monotonic millisecond clock (lru-cache's `Perf`); tests pass a controllable one. */
export interface Clock {
  now(): number;
}

export const monotonicClock: Clock = performance;
