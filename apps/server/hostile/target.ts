import { randomBytes } from 'node:crypto';
import { createLogger, settingsFrom, withApiKeys } from '@chunkflow/core-services';
import { type BackendMode, provisionBackend } from '../test/support/backends.ts';
import { type ChildApp, spawnApp } from '../test/support/processes.ts';
import type { Watched } from './measure.ts';

export interface HostileTarget extends Watched {
  backend: BackendMode;
  /** The bootstrap key of tenant `default`. */
  apiKey: string;
  /** One key per extra tenant asked for, by tenant name. */
  keys: Record<string, string>;
  server: ChildApp;
  worker: ChildApp | undefined;
  /** Everything the server process wrote to stdout so far. */
  stdout(): string;
  /** False once the server process has exited. */
  alive(): boolean;
  close(): Promise<void>;
}

export interface TargetOptions {
  backend: BackendMode;
  /** Settings for the server (and worker), on top of the harness's own. */
  environment: Record<string, string>;
  tenants: readonly string[];
}

/** Keys for further tenants, made as `pnpm keys create` makes them, before the server opens the database. */
async function createTenantKeys(
  environment: Record<string, string | undefined>,
  tenants: readonly string[],
): Promise<Record<string, string>> {
  const settings = settingsFrom({ ...environment, LOG_LEVEL: 'warn' });
  return withApiKeys(settings, createLogger('warn'), async (auth) => {
    const keys: Record<string, string> = {};
    for (const tenant of tenants) keys[tenant] = await auth.createApiKey(tenant, 'hostile suite');
    return keys;
  });
}

/**
 * The server under attack, as `npm start` runs it (apps/server src/main.ts in its own process), on
 * its own data: the embedded default (PGlite in a temporary directory), or `services`: this
 * machine's PostgreSQL and Redis in a database and key prefix of its own, with a worker process.
 */
export async function startHostileTarget(options: TargetOptions): Promise<HostileTarget> {
  const backend = await provisionBackend(options.backend);
  const apiKey = `hostile-${randomBytes(24).toString('hex')}`;
  const metricsToken = randomBytes(16).toString('hex');
  const environment = {
    ...backend.environment,
    ...options.environment,
    BOOTSTRAP_API_KEY: apiKey,
    METRICS_TOKEN: metricsToken,
  };
  const children: ChildApp[] = [];
  try {
    const keys = await createTenantKeys(environment, options.tenants);
    const server = spawnApp('server', { ...environment, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' });
    children.push(server);
    const output: string[] = [];
    server.process.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    const listening = await server.waitForLog((line) => line.msg === 'chunkflow server listening');
    let worker: ChildApp | undefined;
    if (options.backend === 'services') {
      worker = spawnApp('worker', environment);
      children.push(worker);
      await worker.waitForLog((line) => line.msg === 'worker started');
    }
    return {
      backend: options.backend,
      url: String(listening.url),
      pid: server.process.pid as number,
      metricsToken,
      apiKey,
      keys,
      server,
      worker,
      stdout: () => output.join(''),
      alive: () => server.process.exitCode === null && server.process.signalCode === null,
      async close() {
        await Promise.all(children.map((child) => child.kill('SIGKILL')));
        await backend.cleanup();
      },
    };
  } catch (error) {
    await Promise.all(children.map((child) => child.kill('SIGKILL')));
    await backend.cleanup();
    throw error;
  }
}
