import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { type ClientRequest, request } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type BackendMode, backendModes, provisionBackend, type TestBackend } from './support/backends.ts';

const serverDir = fileURLToPath(new URL('..', import.meta.url));
const IN_FLIGHT_REQUESTS = 40;

interface ServerProcess {
  child: ChildProcess;
  url: string;
  logs: Array<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `pnpm start`'s command (tsx src/main.ts) as a real child process; resolves once it listens. */
async function spawnServer(
  environment: Record<string, string | undefined>,
  apiKey: string,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: {
      ...process.env,
      ...environment,
      PORT: '0',
      HOST: '127.0.0.1',
      BOOTSTRAP_API_KEY: apiKey,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  const logs: Array<Record<string, unknown>> = [];
  const url = await new Promise<string>((resolve, reject) => {
    void exited.then(({ code }) => reject(new Error(`server exited with ${code} before listening`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      const entry = JSON.parse(line) as Record<string, unknown>;
      logs.push(entry);
      if (entry.msg === 'chunkflow server listening') resolve(String(entry.url));
    });
  });
  return { child, url, logs, exited };
}

interface HeldRequest {
  finish(): void;
  response: Promise<{ status: number; body: string }>;
}

/**
 * Starts a preview whose body is only half sent, and resolves once the server has begun to
 * handle it (its `100 Continue`): from then on the request is in flight on the server.
 */
async function startPreview(url: string, apiKey: string, content: string): Promise<HeldRequest> {
  const body = JSON.stringify({ content, strategy: 'fixed', config: { chunkSize: 20, chunkOverlap: 0 } });
  const half = Math.floor(body.length / 2);
  let outgoing: ClientRequest | undefined;
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    outgoing = request(
      `${url}/api/v2/chunking/preview`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Bearer ${apiKey}`,
          expect: '100-continue',
        },
      },
      (incoming) => {
        let text = '';
        incoming.setEncoding('utf8');
        incoming.on('data', (piece: string) => {
          text += piece;
        });
        incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, body: text }));
        incoming.on('error', reject);
      },
    );
    outgoing.on('error', reject);
  });
  const request_ = outgoing as unknown as ClientRequest;
  await once(request_, 'continue');
  request_.write(body.slice(0, half));
  return {
    finish: () => request_.end(body.slice(half)),
    response,
  };
}

describe.each(backendModes)(
  'graceful shutdown of a server process on the %s backends',
  (mode: BackendMode) => {
    let backend: TestBackend | undefined;
    let server: ServerProcess | undefined;

    afterEach(async () => {
      if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
      await backend?.cleanup();
    });

    it('finishes every in-flight request after SIGTERM, refuses new connections, and exits 0', async () => {
      backend = await provisionBackend(mode);
      const apiKey = `test-${randomBytes(16).toString('hex')}`;
      server = await spawnServer(backend.environment, apiKey);
      const { url } = server;

      const contents = Array.from({ length: IN_FLIGHT_REQUESTS }, (_, index) =>
        `request ${index} `.repeat(50),
      );
      const held = await Promise.all(contents.map((content) => startPreview(url, apiKey, content)));

      server.child.kill('SIGTERM');
      // The listener closes first: a new connection is refused while the held requests still run.
      await expect
        .poll(
          async () =>
            fetch(`${url}/healthz`).then(
              () => 'accepted',
              () => 'refused',
            ),
          // A bound on waiting for the signal to be handled on a busy machine, not a speed claim.
          { timeout: 15_000 },
        )
        .toBe('refused');

      for (const request_ of held) request_.finish();
      const responses = await Promise.all(held.map((request_) => request_.response));
      responses.forEach(({ status, body }, index) => {
        expect(status).toBe(200);
        const preview = JSON.parse(body) as { chunks: Array<{ content: string }> };
        expect(preview.chunks.map((chunk) => chunk.content).join('')).toBe(contents[index]);
      });

      expect(await server.exited).toEqual({ code: 0, signal: null });
      expect(server.logs.map((entry) => entry.msg)).toEqual(
        expect.arrayContaining(['shutting down', 'shut down']),
      );
    }, 60_000);
  },
);
