import { randomBytes } from 'node:crypto';
import { type ChunkflowClient, createChunkflowClient } from '@chunkflow/client';
import { settingsFrom } from '@chunkflow/core-services';
import pino from 'pino';
import { type RunningApp, startApp } from '../../src/app.ts';
import { type BackendMode, provisionBackend } from './backends.ts';
import { type ChildApp, spawnApp } from './processes.ts';

export interface OperationsCluster {
  mode: BackendMode;
  apiKey: string;
  /** The server under test, in this process. */
  app: RunningApp;
  client: ChunkflowClient;
  /** Environment that points another process at the same database and Redis prefix. */
  environment: Record<string, string | undefined>;
  /** Services mode: a worker process on the shared queue. */
  startWorker(extra?: Record<string, string>): Promise<ChildApp>;
  /** Services mode: a second server process; embedded mode: this one (PGlite allows one process). */
  secondServerUrl(): Promise<string>;
  close(): Promise<void>;
}

/** `settings`: extra environment every process of the cluster gets. */
export async function startOperationsCluster(
  mode: BackendMode,
  settings: Record<string, string> = {},
): Promise<OperationsCluster> {
  const backend = await provisionBackend(mode);
  const apiKey = `test-${randomBytes(16).toString('hex')}`;
  const environment = { ...backend.environment, ...settings, BOOTSTRAP_API_KEY: apiKey };
  const app = await startApp(
    settingsFrom({ ...environment, PORT: '0', HOST: '127.0.0.1' }),
    pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
  );
  const children: ChildApp[] = [];
  let secondServer: Promise<string> | undefined;
  return {
    mode,
    apiKey,
    app,
    client: createChunkflowClient({ url: app.url, apiKey }),
    environment,
    async startWorker(extra = {}) {
      const worker = spawnApp('worker', { ...environment, ...extra });
      children.push(worker);
      await worker.waitForLog((line) => line.msg === 'worker started');
      return worker;
    },
    secondServerUrl() {
      if (mode === 'embedded') return Promise.resolve(app.url);
      secondServer ??= (async () => {
        const server = spawnApp('server', { ...environment, PORT: '0', HOST: '127.0.0.1' });
        children.push(server);
        const line = await server.waitForLog((entry) => entry.msg === 'chunkflow server listening');
        return String(line.url);
      })();
      return secondServer;
    },
    async close() {
      await Promise.all(children.map((child) => child.kill('SIGKILL')));
      await app.close();
      await backend.cleanup();
    },
  };
}
