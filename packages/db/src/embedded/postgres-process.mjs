// Entry of the embedded database's own process: PGlite (PostgreSQL compiled to WebAssembly) runs
// here, off the server's event loop and out of its memory, and answers the PostgreSQL wire protocol
// on a Unix socket that only this user can reach. Plain JS: it needs no TypeScript loader.
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const [dataDir, socketPath, maxConnections] = process.argv.slice(2);

// Signals to the process group (Ctrl-C, a supervisor's SIGTERM) are the server's to handle: it
// closes its clients first, then tells this process to close.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => undefined);

const db = await PGlite.create(dataDir);
const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections: Number(maxConnections) });
await server.start();

let closing;
/**
 * Clients are gone by now; stopping drops any left (rolling back an open transaction) first. The
 * socket's private directory goes too, which the server cannot remove if it died first.
 */
function close() {
  closing ??= server
    .stop()
    .then(() => db.close())
    .finally(() => rm(dirname(socketPath), { recursive: true, force: true }))
    .finally(() => process.disconnect?.());
  return closing;
}
process.on('message', (message) => {
  if (message === 'close') void close();
});
// The server died without closing: flush and exit rather than outlive it.
process.on('disconnect', () => void close());
process.send?.('ready');
