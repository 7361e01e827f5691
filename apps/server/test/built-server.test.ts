// `npm start` runs the built JavaScript with plain node: this starts apps/server/dist/main.js so,
// with no TypeScript loader and no source condition, on the embedded database, and checks that it
// answers, that the chunking pool's threads and the PDF converter run from the build, and that the
// first start prints the playground and API docs next to the key.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPdf } from '@chunkflow/converters/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPackage, builtEnvironment, repositoryDir } from './support/built.ts';

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  probe.close();
  return port;
}

describe('the built server (node dist/main.js)', () => {
  let child: ChildProcess | undefined;
  let dataDir = '';
  let url = '';
  let apiKey = '';
  let printed = '';

  beforeAll(async () => {
    await buildPackage('@chunkflow/server');
    dataDir = await mkdtemp(join(tmpdir(), 'chunkflow-built-'));
    const port = await freePort();
    child = spawn(process.execPath, ['dist/main.js'], {
      cwd: join(repositoryDir, 'apps/server'),
      env: builtEnvironment({
        PORT: String(port),
        HOST: '127.0.0.1',
        CHUNKFLOW_DATA_DIR: dataDir,
        LOG_FORMAT: 'json',
      }),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout?.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      child?.once('exit', (code) => reject(new Error(`the built server exited (${code}):\n${printed}`)));
      child?.stdout?.on('data', (text: string) => {
        printed += text;
        if (printed.includes('API docs:') && printed.includes('shown once')) resolve();
      });
    });
    apiKey = /API key for tenant "default" \(shown once, store it\): (\S+)/.exec(printed)?.[1] ?? '';
    url = `http://127.0.0.1:${port}`;
  }, 600_000);
  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('prints where the playground and the API docs are, next to the new key', () => {
    expect(printed).toContain(`playground: ${url}/`);
    expect(printed).toContain(`API docs:   ${url}/api/v2/docs`);
    expect(apiKey).toMatch(/^cf_/);
  });

  it('answers health, the strategies and the playground page', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const strategies = await (await fetch(`${url}/api/v2/chunking/strategies`)).text();
    expect(strategies).toContain('"recursive"');
    expect(await (await fetch(`${url}/`)).text()).toContain('<div id="app">');
  });

  it('chunks a large text on the pool’s threads and converts a PDF, from the build', async () => {
    const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
    // Sentence chunking of ~0.5 MB is over the inline threshold: it runs on a worker thread.
    const content = 'A sentence of the built server. '.repeat(16_000);
    const preview = await fetch(`${url}/api/v2/chunking/preview`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ content, strategy: 'sentence', config: { chunkSize: 400, chunkOverlap: 0 } }),
    });
    expect(preview.status).toBe(200);
    expect(((await preview.json()) as { totalChunks: number }).totalChunks).toBeGreaterThan(1_000);

    const collection = (await (
      await fetch(`${url}/api/v2/collections`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ name: 'built' }),
      })
    ).json()) as { id: string };
    const pdf = await buildPdf([{ heading: 'Built output', lines: ['pdf.js runs from the build.'] }]);
    const upload = await fetch(`${url}/api/v2/collections/${collection.id}/documents/upload?name=built.pdf`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/pdf' },
      body: Buffer.from(pdf),
    });
    const document = (await upload.json()) as { contentType: string; pageCount: number };
    expect(upload.status).toBeLessThan(300);
    expect(document).toMatchObject({ contentType: 'application/pdf', pageCount: 1 });
  }, 120_000);
});
