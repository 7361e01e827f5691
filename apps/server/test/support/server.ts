import { randomBytes } from 'node:crypto';
import { type ChunkflowClient, createChunkflowClient } from '@chunkflow/client';
import { settingsFrom } from '@chunkflow/core-services';
import pino, { type Logger } from 'pino';
import { type RunningApp, startApp } from '../../src/app.ts';
import { type BackendMode, provisionBackend } from './backends.ts';

export interface TestServer {
  url: string;
  apiKey: string;
  app: RunningApp;
  client: ChunkflowClient;
  clientFor(apiKey: string | undefined): ChunkflowClient;
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** Extra environment variables (e.g. tight rate limits). */
  environment?: Record<string, string>;
  logger?: Logger;
}

/** A real server listening on a free port, over the chosen backends, with a known API key. */
export async function startTestServer(
  mode: BackendMode,
  options: TestServerOptions = {},
): Promise<TestServer> {
  const backend = await provisionBackend(mode);
  const apiKey = `test-${randomBytes(16).toString('hex')}`;
  const config = settingsFrom({
    ...backend.environment,
    PORT: '0',
    HOST: '127.0.0.1',
    BOOTSTRAP_API_KEY: apiKey,
    ...options.environment,
  });
  const app = await startApp(
    config,
    options.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
  );
  const clientFor = (key: string | undefined) =>
    createChunkflowClient({ url: app.url, ...(key ? { apiKey: key } : {}) });
  return {
    url: app.url,
    apiKey,
    app,
    client: clientFor(apiKey),
    clientFor,
    async close() {
      await app.close();
      await backend.cleanup();
    },
  };
}
