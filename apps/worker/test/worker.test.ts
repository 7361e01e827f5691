import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWorkerConfig } from '../src/config.ts';

describe('worker process', () => {
  it('reads its settings with defaults and rejects nonsense', () => {
    const config = loadWorkerConfig({ WORKER_CONCURRENCY: '4' });
    expect(config).toMatchObject({
      WORKER_CONCURRENCY: 4,
      WORKER_LOCK_DURATION_MS: 30_000,
      WORKER_MAX_STALLED_COUNT: 2,
    });
    expect(() => loadWorkerConfig({ WORKER_CONCURRENCY: '0' })).toThrow();
  });

  it('refuses to start without Redis, where operations run inside the server', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: join(import.meta.dirname, '..'),
      env: { ...process.env, REDIS_URL: '', LOG_LEVEL: 'silent' },
      stdio: 'ignore',
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(78);
  });
});
