import { type ChildProcess, fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The embedded PostgreSQL, served by a process of its own; connect with `pg` to `host: socketDir`. */
export interface EmbeddedPostgres {
  /** Directory of the Unix socket (`.s.PGSQL.5432`), as libpq and `pg` take it for `host`. */
  socketDir: string;
  /** Stops serving, closes the database files and ends the process. Close clients first. */
  close(): Promise<void>;
}

/**
 * Connections the process accepts. Its clients keep one (PGlite is a single session, so more would
 * only queue inside it); the second lets a replacement connect before the old one is released.
 */
const MAX_CONNECTIONS = 2;

/** Resolves on the process's first message; rejects if it fails or exits before sending one. */
function ready(child: ChildProcess, stderr: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const exited = (code: number | null) => {
      const reason = stderr().trim().split('\n').at(-1) ?? '';
      reject(new Error(`exited with code ${code}${reason ? `: ${reason}` : ''}`));
    };
    child.once('error', reject);
    child.once('exit', exited);
    child.once('message', () => {
      child.off('error', reject);
      child.off('exit', exited);
      resolve();
    });
  });
}

/**
 * Starts PGlite on `dataDir` in a process of its own: WebAssembly PostgreSQL runs each statement
 * synchronously and keeps the memory it once needed, so in the server a large parameter or a long
 * INSERT would hold every request and its heap would count against the server's. The process owns
 * the data directory until `close()` resolves, and closes it by itself if the server dies first;
 * `onFailure` hears of it ending, or failing, otherwise.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  onFailure: (detail: { code?: number | null; err?: Error }) => void,
): Promise<EmbeddedPostgres> {
  // mkdtemp makes the directory private (0700): the socket has no authentication of its own.
  const socketDir = await mkdtemp(join(tmpdir(), 'chunkflow-pg-'));
  const script = new URL('./postgres-process.mjs', import.meta.url);
  const child = fork(script, [dataDir, join(socketDir, '.s.PGSQL.5432'), String(MAX_CONNECTIONS)], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    // The server's own flags (a TypeScript loader, inspectors) are not for this process.
    execArgv: [],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4096);
  });
  try {
    await ready(child, () => stderr);
  } catch (error) {
    child.kill('SIGKILL');
    await rm(socketDir, { recursive: true, force: true });
    throw new Error(`The embedded database could not start on ${dataDir}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let closing = false;
  child.on('error', (error) => onFailure({ err: error }));
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code) => {
      if (!closing) onFailure({ code });
      resolve();
    });
  });
  return {
    socketDir,
    async close() {
      closing = true;
      if (child.connected) child.send('close');
      await exited;
      await rm(socketDir, { recursive: true, force: true });
    },
  };
}
