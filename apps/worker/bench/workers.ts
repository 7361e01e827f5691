import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface BenchWorker {
  pid: number;
  stop(): Promise<void>;
}

/** Starts worker processes (`src/main.ts`) and resolves once each has logged that it started. */
export function spawnWorkers(count: number, environment: Record<string, string>): Promise<BenchWorker[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        cwd: join(import.meta.dirname, '..'),
        // Started is logged at info: whatever the environment says, the workers log at info.
        env: { ...process.env, WORKER_CONCURRENCY: '1', ...environment, LOG_LEVEL: 'info' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const lines = createInterface({ input: child.stdout });
      for await (const line of lines) if (line.includes('"worker started"')) break;
      child.stdout.resume();
      return {
        pid: child.pid ?? 0,
        async stop() {
          child.kill('SIGTERM');
          await once(child, 'exit');
        },
      };
    }),
  );
}
