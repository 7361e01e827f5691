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
        env: { ...process.env, LOG_LEVEL: 'info', WORKER_CONCURRENCY: '1', ...environment },
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
