import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
import type { QueryMonitor } from './query-monitor.ts';

/** A connection (or transaction) that runs statements outside Prisma: migration scripts. */
export interface SqlExecutor {
  query<Row extends object>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs a script of any number of statements (simple query protocol, no parameters). */
  exec(script: string): Promise<void>;
  /**
   * `COPY … FROM STDIN` (text format) fed from `data` as it is read: the fastest way rows enter
   * PostgreSQL. Answers the number of rows copied. Only where the driver's `copies` is true.
   */
  copyFrom(sql: string, data: AsyncIterable<string>): Promise<number>;
}

export interface SqlSession extends SqlExecutor {
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
}

/**
 * The raw driver under the Prisma adapter, for what Prisma cannot do (multi-statement scripts) or
 * does at too high a cost (bulk writes: Prisma copies every parameter several times on its way to
 * the driver, which for a document's chunks grew a process by hundreds of MB of garbage).
 */
export interface SqlDriver {
  /**
   * Whether `copyFrom` works: PostgreSQL's COPY protocol, which the embedded database's socket
   * does not carry (its writers use multi-row INSERTs instead).
   */
  copies: boolean;
  /** Runs `fn` on one dedicated connection: session-level advisory locks need that. */
  withSession<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
  /**
   * One statement on any connection of the pool, reported to the query monitor with `label` in
   * place of its parameters (bulk parameters are not worth copying into an event). Answers the
   * number of rows it affected.
   */
  execute(sql: string, params: unknown[], label: string): Promise<number>;
  /** As `execute`, answering the rows the statement returned (a SELECT, an INSERT … RETURNING). */
  rows<Row extends object>(sql: string, params: unknown[], label: string): Promise<Row[]>;
}

function pgExecutor(client: pg.PoolClient): SqlExecutor {
  return {
    query: async <Row extends object>(sql: string, params?: unknown[]) =>
      (await client.query<Row>(sql, params)).rows,
    exec: async (script) => {
      await client.query(script);
    },
    async copyFrom(sql, data) {
      const stream = client.query(copyFromStdin(sql));
      await pipeline(Readable.from(data, { objectMode: false }), stream);
      return stream.rowCount;
    },
  };
}

export function postgresDriver(pool: pg.Pool, monitor: QueryMonitor, copies: boolean): SqlDriver {
  return {
    copies,
    async execute(sql, params, label) {
      const started = performance.now();
      const result = await pool.query(sql, params);
      monitor.record(sql, label, performance.now() - started);
      return result.rowCount ?? 0;
    },
    async rows<Row extends object>(sql: string, params: unknown[], label: string) {
      const started = performance.now();
      const result = await pool.query<Row>(sql, params);
      monitor.record(sql, label, performance.now() - started);
      return result.rows;
    },
    async withSession(fn) {
      const client = await pool.connect();
      const executor = pgExecutor(client);
      try {
        return await fn({
          ...executor,
          async transaction(body) {
            await client.query('BEGIN');
            try {
              const result = await body(executor);
              await client.query('COMMIT');
              return result;
            } catch (error) {
              await client.query('ROLLBACK');
              throw error;
            }
          },
        });
      } finally {
        client.release();
      }
    },
  };
}
