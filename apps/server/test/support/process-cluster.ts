import { randomBytes } from 'node:crypto';
import { type ChunkflowClient, createChunkflowClient } from '@chunkflow/client';
import type { TestBackend } from './backends.ts';
import { type ChildApp, spawnApp } from './processes.ts';

export interface ServerProcess {
  url: string;
  child: ChildApp;
  client: ChunkflowClient;
}

export interface ProcessCluster {
  apiKey: string;
  environment: Record<string, string>;
  servers: ServerProcess[];
  workers: ChildApp[];
  /** Another `pnpm start` server on the same database and Redis; `extra` overrides its environment. */
  startServer(extra?: Record<string, string>): Promise<ServerProcess>;
  startWorker(extra?: Record<string, string>): Promise<ChildApp>;
  /** SIGKILLs what is still running (the backends belong to the caller). */
  close(): Promise<void>;
}

/**
 * Server and worker processes, as a deployment runs them, on the PostgreSQL and Redis the caller
 * chose (a private redis-server, a database behind a proxy…).
 */
export function processCluster(backends: {
  databaseUrl: string;
  redisUrl: string;
  keyPrefix?: string;
  dataDir: string;
}): ProcessCluster {
  const apiKey = `test-${randomBytes(16).toString('hex')}`;
  const environment = {
    DATABASE_URL: backends.databaseUrl,
    REDIS_URL: backends.redisUrl,
    CHUNKFLOW_KEY_PREFIX: backends.keyPrefix ?? `chunkflow-test-${randomBytes(6).toString('hex')}`,
    CHUNKFLOW_DATA_DIR: backends.dataDir,
    BOOTSTRAP_API_KEY: apiKey,
  };
  const servers: ServerProcess[] = [];
  const workers: ChildApp[] = [];
  return {
    apiKey,
    environment,
    servers,
    workers,
    async startServer(extra = {}) {
      const child = spawnApp('server', { ...environment, PORT: '0', HOST: '127.0.0.1', ...extra });
      const line = await child.waitForLog((entry) => entry.msg === 'chunkflow server listening');
      const url = String(line.url);
      const server = { url, child, client: createChunkflowClient({ url, apiKey }) };
      servers.push(server);
      return server;
    },
    async startWorker(extra = {}) {
      const worker = spawnApp('worker', { ...environment, ...extra });
      workers.push(worker);
      await worker.waitForLog((line) => line.msg === 'worker started');
      return worker;
    },
    async close() {
      await Promise.all(
        [...servers.map((server) => server.child), ...workers].map((child) => child.kill('SIGKILL')),
      );
    },
  };
}

/** A cluster on a provisioned test backend (its own database and Redis key prefix). */
export function processClusterOn(backend: TestBackend): ProcessCluster {
  const setting = (name: string) => String(backend.environment[name]);
  return processCluster({
    databaseUrl: setting('DATABASE_URL'),
    redisUrl: setting('REDIS_URL'),
    keyPrefix: setting('CHUNKFLOW_KEY_PREFIX'),
    dataDir: setting('CHUNKFLOW_DATA_DIR'),
  });
}
