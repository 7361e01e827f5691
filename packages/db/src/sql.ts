import type pg from 'pg';

/** A connection (or transaction) that runs statements outside Prisma: migration scripts. */
export interface SqlExecutor {
  query<Row extends object>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs a script of any number of statements (simple query protocol, no parameters). */
  exec(script: string): Promise<void>;
}

export interface SqlSession extends SqlExecutor {
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
}

/** The raw driver under the Prisma adapter, for what Prisma cannot do (multi-statement scripts). */
export interface SqlDriver {
  /** Runs `fn` on one dedicated connection: session-level advisory locks need that. */
  withSession<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
}

function pgExecutor(client: pg.PoolClient): SqlExecutor {
  return {
    query: async <Row extends object>(sql: string, params?: unknown[]) =>
      (await client.query<Row>(sql, params)).rows,
    exec: async (script) => {
      await client.query(script);
    },
  };
}

export function postgresDriver(pool: pg.Pool): SqlDriver {
  return {
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
