import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createChunkflowClient, TRPCClientError } from '@chunkflow/client';
import { settingsFrom } from '@chunkflow/core-services';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp } from '../src/app.ts';
import { provisionBackend, type TestBackend } from './support/backends.ts';

const run = promisify(execFile);
const repositoryDir = fileURLToPath(new URL('../../..', import.meta.url));

type Environment = Record<string, string | undefined>;

/** Runs the keys CLI the way docs/operating.md says: `pnpm --filter @chunkflow/server keys …`. */
async function keys(environment: Environment, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(
      'pnpm',
      ['--silent', '--filter', '@chunkflow/server', 'keys', ...args],
      {
        cwd: repositoryDir,
        env: { ...process.env, ...environment },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** Whether a running server accepts the key: a random collection id answers NOT_FOUND to a valid key. */
async function accepted(environment: Environment, apiKey: string): Promise<boolean> {
  const app = await startApp(
    settingsFrom({ ...environment, PORT: '0', HOST: '127.0.0.1' }),
    pino({ level: 'silent' }),
  );
  try {
    await createChunkflowClient({ url: app.url, apiKey }).collections.get.query({ id: randomUUID() });
    throw new Error('a random collection id cannot exist');
  } catch (error) {
    const code = error instanceof TRPCClientError ? (error.data as { code?: string }).code : undefined;
    if (code === 'NOT_FOUND') return true;
    if (code === 'UNAUTHORIZED') return false;
    throw error;
  } finally {
    await app.close();
  }
}

const tableRows = (stdout: string) => stdout.trim().split('\n');

let backend: TestBackend | undefined;
afterEach(async () => {
  await backend?.cleanup();
  backend = undefined;
});

describe('keys CLI', () => {
  it('creates a key shown once, lists keys without secrets, and revokes one (PostgreSQL)', async () => {
    backend = await provisionBackend('services');
    const environment = backend.environment;

    const created = await keys(environment, 'create', '--tenant', 'acme', '--label', 'ci deploy');
    expect(created.code).toBe(0);
    const apiKey = created.stdout.trim();
    expect(apiKey).toMatch(/^cf_[\w-]{43}$/);
    const second = (await keys(environment, 'create', '--tenant', 'acme')).stdout.trim();

    const listed = await keys(environment, 'list', '--tenant', 'acme');
    expect(listed.code).toBe(0);
    expect(listed.stdout).not.toContain(apiKey);
    const rows = tableRows(listed.stdout);
    expect(rows[0]).toMatch(/^id\s+label\s+created\s+last used\s+revoked$/);
    expect(rows).toHaveLength(3);
    expect(rows[1]).toMatch(/ci deploy.+never\s+active$/);
    const keyId = rows[1]?.split(/\s+/)[0] ?? '';

    expect(await accepted(environment, apiKey)).toBe(true);

    const revoked = await keys(environment, 'revoke', '--tenant', 'acme', '--id', keyId);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain(keyId);
    expect((await keys(environment, 'revoke', '--tenant', 'acme', '--id', keyId)).code).toBe(1);

    const [, revokedRow] = tableRows((await keys(environment, 'list', '--tenant', 'acme')).stdout);
    // Used once (last used is a time now), then revoked (a time instead of "active").
    expect(revokedRow).toMatch(/ci deploy\s+\S+Z\s+\S+Z\s+\S+Z$/);

    expect(await accepted(environment, apiKey)).toBe(false);
    expect(await accepted(environment, second)).toBe(true);
    // Five CLI runs (pnpm + tsx each) and three server starts: a loaded two-core machine needs minutes.
  }, 180_000);

  it('works on the embedded database, and answers unknown tenants and bad usage with a non-zero exit', async () => {
    backend = await provisionBackend('embedded');
    const environment = backend.environment;
    expect((await keys(environment, 'create', '--tenant', 'solo')).stdout).toMatch(/^cf_/);
    expect(tableRows((await keys(environment, 'list', '--tenant', 'solo')).stdout)).toHaveLength(2);
    expect((await keys(environment, 'list', '--tenant', 'nobody')).code).toBe(1);
    const usage = await keys(environment, 'revoke', '--tenant', 'solo');
    expect(usage.code).toBe(64);
    expect(usage.stderr).toContain('usage:');
  }, 60_000);
});
