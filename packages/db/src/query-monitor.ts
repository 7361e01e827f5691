import { currentCorrelationId } from '@chunkflow/errors';
import type { DbLogger } from './logger.ts';

export interface QueryEvent {
  /** The SQL statement as sent, with `$n` placeholders. */
  sql: string;
  /**
   * The bound parameters as Prisma reports them (a JSON array). They may hold document content:
   * fine for EXPLAIN in tests, never for logs.
   */
  params: string;
  durationMs: number;
  correlationId: string | undefined;
}

export type QueryObserver = (event: QueryEvent) => void;

const LOGGED_SQL_LENGTH = 500;

/** Fans every executed statement out to observers (metrics, tests) and logs the slow ones. */
export class QueryMonitor {
  readonly #observers = new Set<QueryObserver>();
  readonly #slowQueryMs: number;
  readonly #logger: DbLogger | undefined;

  constructor(options: { slowQueryMs: number; logger?: DbLogger | undefined }) {
    this.#slowQueryMs = options.slowQueryMs;
    this.#logger = options.logger;
  }

  /** Adds an observer; the returned function removes it. */
  observe(observer: QueryObserver): () => void {
    this.#observers.add(observer);
    return () => this.#observers.delete(observer);
  }

  record(sql: string, params: string, durationMs: number): void {
    const event: QueryEvent = { sql, params, durationMs, correlationId: currentCorrelationId() };
    for (const observer of this.#observers) observer(event);
    if (durationMs >= this.#slowQueryMs) {
      this.#logger?.warn(
        { durationMs, correlationId: event.correlationId, sql: sql.slice(0, LOGGED_SQL_LENGTH) },
        'slow database query',
      );
    }
  }
}
