/** One appended entry: ids increase within a stream and are what clients resume from. */
export interface LogEntry {
  id: string;
  payload: string;
}

/**
 * Where an entry stands in its stream. An entry with a `rank` only goes after entries of lower
 * rank, and nothing goes after a `final` entry: appends from several processes that raced are
 * dropped instead of going back in time.
 */
export interface EntryOrder {
  rank?: number | undefined;
  final?: boolean | undefined;
}

/**
 * An append-only, bounded, expiring log per stream name: a Redis stream (shared by every process)
 * or an in-process one (embedded mode).
 */
export interface EventLog {
  /**
   * Appends unless the stream's last entry is final, or `order.rank` is given and the last entry's
   * rank is at least as high (checked and appended atomically); answers the new id, or undefined
   * when the entry was dropped.
   */
  append(stream: string, payload: string, order?: EntryOrder): Promise<string | undefined>;
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
