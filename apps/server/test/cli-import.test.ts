import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildPdf } from '@chunkflow/converters/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OperationsCluster, startOperationsCluster } from './support/operations-cluster.ts';

const run = promisify(execFile);
const repositoryDir = fileURLToPath(new URL('../../..', import.meta.url));

/** Runs the import CLI the way the README says: `pnpm --filter @chunkflow/server run import -- …`. */
async function importCli(environment: Record<string, string>, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(
      'pnpm',
      ['--silent', '--filter', '@chunkflow/server', 'run', 'import', '--', ...args],
      { cwd: repositoryDir, env: { ...process.env, ...environment }, timeout: 60_000 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('import CLI', () => {
  let cluster: OperationsCluster;
  let folder: string;
  let environment: Record<string, string>;

  beforeAll(async () => {
    // PostgreSQL + Redis: operations run on worker processes, two as the issue deploys them.
    cluster = await startOperationsCluster('services');
    await Promise.all([cluster.startWorker(), cluster.startWorker()]);
    environment = { CHUNKFLOW_URL: cluster.app.url, CHUNKFLOW_API_KEY: cluster.apiKey };
    folder = await mkdtemp(join(tmpdir(), 'chunkflow-import-'));
    await mkdir(join(folder, 'notes', 'deep'), { recursive: true });
    for (let i = 0; i < 120; i += 1) {
      await writeFile(
        join(folder, 'notes', `note-${i}.md`),
        `# Note ${i}\n\n${'Tide and harbour. '.repeat(20 + i)}\n`,
      );
    }
    await writeFile(join(folder, 'notes', 'deep', 'page.html'), '<h1>Quay</h1><p>Moorings and ropes.</p>');
    await writeFile(
      join(folder, 'notes', 'deep', 'copy.md'),
      '# Note 0\n\n' + `${'Tide and harbour. '.repeat(20)}\n`,
    );
    await writeFile(
      join(folder, 'report.pdf'),
      await buildPdf([{ heading: 'Report', lines: ['Tables of tides.'] }]),
    );
    await writeFile(join(folder, 'broken.pdf'), '%PDF-1.7 not a real one');
  });
  afterAll(async () => {
    await cluster?.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('imports a folder by collection name, reports refusals, resumes without resending, then applies', {
    timeout: 180_000,
  }, async () => {
    const first = await importCli(environment, 'handbook', folder, '--batch-files', '25', '--no-progress');
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain('collection "handbook"');
    expect(first.stdout).toContain('124 files, 0 held already, 124 to send');
    expect(first.stdout).toMatch(/imported: 122 created, 1 duplicates, 0 held already, 1 refused/);
    expect(first.stdout).toContain('refused broken.pdf: INVALID_DOCUMENT');
    expect(first.code).toBe(1);
    const [collection] = (await cluster.client.collections.list.query({ limit: 10 })).items;
    expect(collection?.name).toBe('handbook');
    const collectionId = collection?.id ?? '';

    // A rerun sends only what the collection does not hold (the refused file, refused again).
    await writeFile(join(folder, 'notes', 'late.txt'), 'A file added after the first run.');
    const second = await importCli(
      environment,
      collectionId,
      `${folder}/**/*.{md,txt,pdf,html}`,
      '--apply',
      'recursive',
      '--config',
      '{"chunkSize":200,"chunkOverlap":20}',
    );
    expect(second.stdout).toContain('125 files, 123 held already, 2 to send');
    expect(second.stdout).toMatch(/imported: 1 created, 0 duplicates, 123 held already, 1 refused/);
    // The progress bar went to stderr, the report to stdout.
    expect(second.stderr).toContain('importing');
    expect(second.stderr).toContain('chunking');
    const operationLine = second.stdout.match(/operation (\S+) completed: 123\/123 documents, (\d+) chunks/);
    expect(operationLine).not.toBeNull();
    const statistics = await cluster.client.chunking.statistics.query({ collectionId });
    expect(statistics.totalDocuments).toBe(123);
    expect(statistics.totalChunks).toBe(Number(operationLine?.[2]));
  });

  it('refuses without a key, and with a usage line for missing arguments', { timeout: 120_000 }, async () => {
    const noKey = await importCli({ CHUNKFLOW_URL: cluster.app.url, CHUNKFLOW_API_KEY: '' }, 'x', folder);
    expect(noKey.code).toBe(64);
    expect(noKey.stderr).toContain('an API key is needed');
    const wrongKey = await importCli({ ...environment, CHUNKFLOW_API_KEY: 'cf_wrong' }, 'x', folder);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toContain('chunkflow: UNAUTHORIZED');
    const bare = await importCli(environment);
    expect(bare.code).toBe(64);
    expect(bare.stderr).toContain('usage:');
  });
});
