import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { freePort } from '../../../packages/redis-manager/test/support/redis-process.ts';
import { provisionBackend } from '../test/support/backends.ts';
import { type ChildApp, spawnApp } from '../test/support/processes.ts';

/** Limits far above what one load generator can send: the run measures the service, not its quotas. */
const UNTHROTTLED = {
  RATE_LIMIT_PREVIEW: '100000000',
  RATE_LIMIT_COMPARE: '100000000',
  RATE_LIMIT_APPLY: '100000000',
  RATE_LIMIT_READS: '100000000',
  RATE_LIMIT_WRITES: '100000000',
  MAX_SSE_CONNECTIONS_PER_KEY: '10000',
};

export interface LoadTarget {
  /** The first server: where scenarios prepare their data and apply users connect. */
  url: string;
  /** Every server process; the load is spread over them as a load balancer would. */
  urls: string[];
  /** The server processes' ids, in the order of `urls`. */
  serverPids: number[];
  apiKey: string;
  close(): Promise<void>;
}

/**
 * What a load run hits: `servers` server processes (as `pnpm start` runs them, logging at `warn`
 * so the harness does not hold a line per request) and `workers` worker processes, on this
 * machine's PostgreSQL and Redis in a database and key prefix of their own, removed afterwards.
 */
export async function startLoadTarget(options: { servers: number; workers: number }): Promise<LoadTarget> {
  const backend = await provisionBackend('services');
  const apiKey = `load-${randomBytes(16).toString('hex')}`;
  const environment = { ...backend.environment, ...UNTHROTTLED, BOOTSTRAP_API_KEY: apiKey };
  const children: ChildApp[] = [];
  try {
    const urls: string[] = [];
    const serverPids: number[] = [];
    for (let index = 0; index < options.servers; index += 1) {
      const port = await freePort();
      const server = spawnApp(
        'server',
        { ...environment, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
        serverNodeArguments(),
      );
      children.push(server);
      if (server.process.pid !== undefined) serverPids.push(server.process.pid);
      const url = `http://127.0.0.1:${port}`;
      urls.push(url);
      await untilReady(url, server);
    }
    for (let index = 0; index < options.workers; index += 1) {
      const worker = spawnApp('worker', environment);
      children.push(worker);
      await worker.waitForLog((line) => line.msg === 'worker started');
    }
    return {
      url: urls[0] as string,
      urls,
      serverPids,
      apiKey,
      async close() {
        await Promise.all(children.map((child) => child.kill('SIGTERM')));
        await backend.cleanup();
      },
    };
  } catch (error) {
    await Promise.all(children.map((child) => child.kill('SIGKILL')));
    await backend.cleanup();
    throw error;
  }
}

/** LOAD_SERVER_NODE_ARGS, e.g. `--cpu-prof --cpu-prof-dir=/tmp/profiles`: where the server's time goes under load. */
function serverNodeArguments(): string[] {
  return (process.env.LOAD_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
}

async function untilReady(url: string, server: ChildApp): Promise<void> {
  for (;;) {
    if (server.process.exitCode !== null) throw new Error('the server process exited during start-up');
    const ready = await fetch(`${url}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await delay(200);
  }
}
