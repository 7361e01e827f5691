import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createChunkflowClient, TRPCClientError } from '@chunkflow/client';
import { settingsFrom } from '@chunkflow/core-services';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp } from '../src/app.ts';
import { provisionBackend, type TestBackend } from './support/backends.ts';
import { settledOperation } from './support/collection-checks.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const run = promisify(execFile);
const serverDir = fileURLToPath(new URL('..', import.meta.url));

type Environment = Record<string, string | undefined>;

/** Runs `chunkflow …` (the CLI's source, as its built bin would run). */
async function chunkflow(environment: Environment, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: serverDir,
      env: { ...process.env, ...environment },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const keys = (environment: Environment, ...args: string[]) => chunkflow(environment, 'keys', ...args);

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
  }, 180_000);
});

describe('chunkflow command', () => {
  it('lists every command in --help, explains each, and refuses an unknown one with 64', async () => {
    const help = await chunkflow({}, '--help');
    expect(help.code).toBe(0);
    for (const command of ['serve', 'worker', 'keys', 'import', 'export', 'preview'])
      expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    const previewHelp = await chunkflow({}, 'preview', '--help');
    expect(previewHelp.stdout).toContain('chunkflow preview FILE');
    const unknown = await chunkflow({}, 'frobnicate');
    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    const badOption = await chunkflow({}, 'preview', 'file.md', '--no-such-option');
    expect(badOption.code).toBe(64);
  }, 120_000);

  it('previews a file as a table and as JSON, and refuses a bad config with its code', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'chunkflow-cli-'));
    try {
      const file = join(dir, 'notes.md');
      const text =
        '# Title\n\nFirst paragraph here. Second sentence.\n\nAnother paragraph with more words.\n';
      await writeFile(file, text);
      const table = await chunkflow({}, 'preview', file, '--chunk-size', '40', '--overlap', '0');
      expect(table.code).toBe(0);
      expect(table.stdout.split('\n')[0]).toMatch(/^#\s+start\s+end\s+chars\s+tokens\s+content$/);
      const asJson = await chunkflow({}, 'preview', file, '--chunk-size', '40', '--overlap', '0', '--json');
      const chunks = JSON.parse(asJson.stdout) as {
        content: string;
        startOffset: number;
        endOffset: number;
      }[];
      expect(chunks.length).toBe(table.stdout.trim().split('\n').length - 1);
      for (const chunk of chunks) expect(text.slice(chunk.startOffset, chunk.endOffset)).toBe(chunk.content);
      const refused = await chunkflow({}, 'preview', file, '--strategy', 'nope');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/^chunkflow: INVALID_CONFIG: /);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  describe('against a server', () => {
    let server: TestServer | undefined;
    afterEach(async () => {
      await server?.close();
      server = undefined;
    });

    it('manages keys through the API with the operator key, while the server holds the embedded database', async () => {
      const adminKey = `admin-${randomUUID()}-${randomUUID()}`;
      server = await startTestServer('embedded', { environment: { ADMIN_API_KEY: adminKey } });
      const asAdmin = { CHUNKFLOW_URL: server.url, CHUNKFLOW_API_KEY: adminKey };

      const created = await keys(asAdmin, 'create', '--tenant', 'remote', '--label', 'over the API');
      expect(created.code).toBe(0);
      const apiKey = created.stdout.trim();
      expect(apiKey).toMatch(/^cf_/);
      const collection = await server
        .clientFor(apiKey)
        .collections.create.mutate({ name: 'with the new key' });
      expect(collection.name).toBe('with the new key');

      const rows = tableRows((await keys(asAdmin, 'list', '--tenant', 'remote')).stdout);
      expect(rows).toHaveLength(2);
      expect(rows[1]).toMatch(/over the API\s+\S+Z\s+\S+Z\s+active$/);
      const keyId = rows[1]?.split(/\s+/)[0] ?? '';
      expect((await keys(asAdmin, 'revoke', '--tenant', 'remote', '--id', keyId)).code).toBe(0);
      await expect(server.clientFor(apiKey).collections.list.query({})).rejects.toThrow();

      // A tenant's key is no operator key; unknown tenants and keys answer NOT_FOUND.
      const asTenant = await keys(
        { ...asAdmin, CHUNKFLOW_API_KEY: server.apiKey },
        'list',
        '--tenant',
        'remote',
      );
      expect(asTenant.code).toBe(1);
      expect(asTenant.stderr).toMatch(/^chunkflow: FORBIDDEN: /m);
      const unknown = await keys(asAdmin, 'list', '--tenant', 'nobody');
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toMatch(/^chunkflow: NOT_FOUND: /m);
      expect((await keys(asAdmin, 'revoke', '--tenant', 'remote', '--id', keyId)).code).toBe(1);
    }, 180_000);

    it('exports a collection as NDJSON, and answers an unknown one NOT_FOUND with exit 1', async () => {
      server = await startTestServer('embedded');
      const collection = await server.client.collections.create.mutate({ name: 'cli export' });
      const document = await server.client.documents.create.mutate({
        collectionId: collection.id,
        name: 'a.md',
        content: '# A\n\nOne paragraph. Another sentence here.\n',
      });
      const operation = await server.client.chunking.applyToCollection.mutate({
        collectionId: collection.id,
        strategy: 'recursive',
        config: { chunkSize: 30, chunkOverlap: 0 },
      });
      expect((await settledOperation(server.client, operation.operationId)).status).toBe('completed');
      const environment = { CHUNKFLOW_URL: server.url, CHUNKFLOW_API_KEY: server.apiKey };
      const dir = await mkdtemp(join(tmpdir(), 'chunkflow-cli-'));
      try {
        const output = join(dir, 'chunks.ndjson');
        const exported = await chunkflow(
          environment,
          'export',
          '--collection',
          collection.id,
          '--output',
          output,
        );
        expect(exported.code).toBe(0);
        const lines = (await readFile(output, 'utf8'))
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line));
        expect(lines.length).toBeGreaterThan(1);
        expect(lines.every((line) => line.documentId === document.id)).toBe(true);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      const unknown = await chunkflow(environment, 'export', '--collection', randomUUID());
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toMatch(/^chunkflow: NOT_FOUND: .+\(correlation id [\w-]+\)$/m);
      const noKey = await chunkflow({ CHUNKFLOW_URL: server.url }, 'export', '--collection', collection.id);
      expect(noKey.code).toBe(64);
    }, 180_000);
  });
});
