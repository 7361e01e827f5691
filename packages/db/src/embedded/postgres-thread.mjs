// Worker-thread entry of the embedded database: PGlite (PostgreSQL compiled to WebAssembly) runs
// here, off the serving event loop, and answers the PostgreSQL wire protocol on a Unix socket that
// only this user can reach. Plain JS: it needs no TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** @type {{ dataDir: string, socketPath: string, maxConnections: number }} */
const { dataDir, socketPath, maxConnections } = workerData;

const db = await PGlite.create(dataDir);
const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections });
try {
  await server.start();
} catch (error) {
  await db.close();
  throw error;
}

parentPort?.on('message', async (message) => {
  if (message !== 'close') return;
  // Clients are gone by now; stopping drops any left (rolling back an open transaction) before
  // PGlite flushes and closes its files.
  await server.stop();
  await db.close();
  parentPort?.close();
});
parentPort?.postMessage('ready');
