import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** The embedded PostgreSQL, served from a worker thread; connect with `pg` to `host: socketDir`. */
export interface EmbeddedPostgres {
  /** Directory of the Unix socket (`.s.PGSQL.5432`), as libpq and `pg` take it for `host`. */
  socketDir: string;
  /** Stops serving, closes the database files and ends the thread. Close clients first. */
  close(): Promise<void>;
}

/**
 * Connections the thread accepts. Its clients keep one (PGlite is a single session, so more would
 * only queue inside it); the second lets a replacement connect before the old one is released.
 */
const MAX_CONNECTIONS = 2;

/** Resolves on the thread's first message; rejects if it fails or exits before sending one. */
function firstMessage(worker: Worker): Promise<unknown> {
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`embedded database thread exited (code ${code})`)));
  });
}

/**
 * Starts PGlite on `dataDir` in a worker thread of its own: WebAssembly PostgreSQL runs each
 * statement synchronously, so on the serving thread a large parameter or a long INSERT would hold
 * every request. The thread owns the data directory until `close()` resolves; `onFailure` hears of
 * the thread failing after it started.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  onFailure: (error: Error) => void,
): Promise<EmbeddedPostgres> {
  // mkdtemp makes the directory private (0700): the socket has no authentication of its own.
  const socketDir = await mkdtemp(join(tmpdir(), 'chunkflow-pg-'));
  const worker = new Worker(new URL('./postgres-thread.mjs', import.meta.url), {
    workerData: { dataDir, socketPath: join(socketDir, '.s.PGSQL.5432'), maxConnections: MAX_CONNECTIONS },
  });
  try {
    await firstMessage(worker);
  } catch (error) {
    await worker.terminate();
    await rm(socketDir, { recursive: true, force: true });
    throw new Error(`The embedded database could not start on ${dataDir}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  // Its clients then fail their queries (and `/readyz` says so); the process stays up to report it.
  worker.on('error', onFailure);
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    socketDir,
    async close() {
      worker.postMessage('close');
      await exited;
      await rm(socketDir, { recursive: true, force: true });
    },
  };
}
