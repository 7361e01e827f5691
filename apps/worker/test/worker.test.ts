import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { settingsFrom } from '@chunkflow/core-services';
import { describe, expect, it } from 'vitest';

describe('worker process', () => {
  it('reads its settings with defaults and rejects nonsense', () => {
    const { worker } = settingsFrom({ WORKER_CONCURRENCY: '4' });
    expect(worker).toMatchObject({ concurrency: 4, lockDurationMs: 30_000, maxStalledCount: 2 });
    expect(() => settingsFrom({ WORKER_CONCURRENCY: '0' })).toThrow();
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
