/** One appended entry: ids increase within a stream and are what clients resume from. */
export interface LogEntry {
  id: string;
  payload: string;
}

/**
 * An append-only, bounded, expiring log per stream name: a Redis stream (shared by every process)
 * or an in-process one (embedded mode).
 */
export interface EventLog {
  append(stream: string, payload: string): Promise<string>;
  /** Entries after `afterId` (from the start when undefined), oldest first, at most `count`. */
  after(stream: string, afterId: string | undefined, count: number): Promise<LogEntry[]>;
}

export interface EventLogLimits {
  /** Entries kept per stream (the oldest are trimmed; Redis trims approximately). */
  maxLength: number;
  /** A stream disappears this long after its last append. */
  ttlSeconds: number;
}

/** Stream ids look like Redis's `<ms>-<seq>`; anything else cannot be resumed from. */
export const LOG_ENTRY_ID = /^\d{1,20}-\d{1,20}$/;
