import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const appsDir = join(import.meta.dirname, '../../..');
const SOURCE_CONDITION = '--conditions=@chunkflow/source';

export interface ChildApp {
  process: ChildProcess;
  /** JSON log lines printed so far. */
  logs: Record<string, unknown>[];
  /** Resolves with the first log line that matches. */
  waitForLog(matches: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `apps/<app>/src/main.ts` as its own OS process, as `pnpm start` would, on the workspace's
 * source throughout: without the source condition the app's source would load the packages' builds
 * (their default export), a mix no deployment runs (the hostile suite's uploads then failed as 500s).
 */
export function spawnApp(
  app: 'server' | 'worker',
  environment: Record<string, string | undefined>,
  nodeArguments: readonly string[] = [],
): ChildApp {
  const child = spawn(
    process.execPath,
    [...nodeArguments, SOURCE_CONDITION, '--import', 'tsx', 'src/main.ts'],
    {
      cwd: join(appsDir, app),
      env: { ...process.env, LOG_LEVEL: 'info', ...environment },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const logs: Record<string, unknown>[] = [];
  const waiters = new Set<{
    matches: (line: Record<string, unknown>) => boolean;
    resolve: (line: Record<string, unknown>) => void;
  }>();
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (text) => {
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    logs.push(line);
    for (const waiter of waiters) {
      if (waiter.matches(line)) {
        waiters.delete(waiter);
        waiter.resolve(line);
      }
    }
  });
  const exited = once(child, 'exit');
  return {
    process: child,
    logs,
    waitForLog(matches) {
      const seen = logs.find(matches);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiters.add({ matches, resolve });
        void exited.then(() => reject(new Error(`${app} exited before logging what was awaited`)));
      });
    },
    async kill(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await exited;
    },
  };
}
