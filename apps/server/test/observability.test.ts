import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createLogger, HealthService, settingsFrom } from '@chunkflow/core-services';
import { openDatabase } from '@chunkflow/db';
import { createTestDatabase } from '@chunkflow/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../src/app.ts';
import { migrationsProbe } from '../src/observability/readiness.ts';
import { backendModes } from './support/backends.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import { TcpProxy } from './support/tcp-proxy.ts';

type LogLine = Record<string, unknown> & { msg: string };

/** A real pino logger of ours whose JSON lines the test can read. */
function capturedLogger() {
  const lines: LogLine[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line) lines.push(JSON.parse(line) as LogLine);
      callback();
    },
  });
  return { logger: createLogger('info', { destination }), lines };
}

const document = '# Title\n\nFirst paragraph of text.\n\nSecond paragraph of text, a little longer.';

describe('request log and metrics', () => {
  let server: TestServer;
  const { logger, lines } = capturedLogger();

  beforeAll(async () => {
    server = await startTestServer('embedded', { logger });
  });
  afterAll(async () => {
    await server?.close();
  });

  const requestLine = (correlationId: string) =>
    lines.find((line) => line.msg === 'request' && line.correlationId === correlationId);

  it('logs one line per request with correlation id, tenant, procedures, status and duration', async () => {
    const response = await fetch(`${server.url}/api/v2/chunking/preview`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${server.apiKey}`,
        'x-correlation-id': 'log-test-preview',
      },
      body: JSON.stringify({
        content: document,
        strategy: 'recursive',
        config: { chunkSize: 40, chunkOverlap: 0 },
      }),
    });
    expect(response.status).toBe(200);
    const tenant = await server.app.services.auth.authenticate(server.apiKey);
    expect(requestLine('log-test-preview')).toMatchObject({
      method: 'POST',
      url: '/api/v2/chunking/preview',
      status: 200,
      tenantId: tenant.id,
      procedures: ['chunking.preview'],
      durationMs: expect.any(Number),
    });
    expect(
      lines.filter((line) => line.correlationId === 'log-test-preview' && line.msg === 'request'),
    ).toHaveLength(1);
  });

  it('names every procedure of a tRPC batch, and no tenant for a public call', async () => {
    const input = encodeURIComponent(JSON.stringify({ 0: { json: {} }, 1: { json: {} } }));
    await fetch(`${server.url}/trpc/chunking.strategies,chunking.strategies?batch=1&input=${input}`, {
      headers: { 'x-correlation-id': 'log-test-batch' },
    });
    const line = requestLine('log-test-batch');
    expect(line).toMatchObject({ procedures: ['chunking.strategies', 'chunking.strategies'], status: 200 });
    expect(line).not.toHaveProperty('tenantId');
  });

  it('never logs a key, whether sent as connection params in the URL or as a header (F6)', async () => {
    const connectionParams = encodeURIComponent(JSON.stringify({ apiKey: server.apiKey }));
    const progressInput = encodeURIComponent(
      JSON.stringify({ json: { operationId: '00000000-0000-4000-8000-000000000000' } }),
    );
    // A subscription may authenticate with connection params (EventSource sends no headers)...
    const subscription = await fetch(
      `${server.url}/trpc/operations.progress?input=${progressInput}&connectionParams=${connectionParams}`,
      { headers: { accept: 'text/event-stream', 'x-correlation-id': 'log-test-sse' } },
    );
    const events = await subscription.text();
    expect(events).toContain('"code":"NOT_FOUND"');
    // ...a query may not: the key in its URL is not accepted.
    const listInput = encodeURIComponent(JSON.stringify({ json: {} }));
    const query = await fetch(
      `${server.url}/trpc/collections.list?input=${listInput}&connectionParams=${connectionParams}`,
      { headers: { 'x-correlation-id': 'log-test-query' } },
    );
    expect(query.status).toBe(401);
    await fetch(`${server.url}/api/v2/collections?apiKey=${server.apiKey}`, {
      headers: { authorization: `Bearer ${server.apiKey}`, 'x-correlation-id': 'log-test-header' },
    });

    await expect.poll(() => requestLine('log-test-sse')).toBeDefined();
    expect(requestLine('log-test-query')?.url).toContain('connectionParams=[REDACTED]');
    expect(requestLine('log-test-header')?.url).toBe('/api/v2/collections?apiKey=[REDACTED]');
    const everything = lines.map((line) => JSON.stringify(line)).join('\n');
    expect(everything).not.toContain(server.apiKey);
    expect(everything).not.toContain(encodeURIComponent(server.apiKey));
  });

  it('runs an upload as the procedure documents.upload: logged with its tenant, timed in the metrics', async () => {
    const collection = await server.client.collections.create.mutate({ name: 'log upload' });
    const response = await fetch(
      `${server.url}/api/v2/collections/${collection.id}/documents/upload?name=notes.txt`,
      {
        method: 'PUT',
        headers: {
          'content-type': 'text/plain',
          authorization: `Bearer ${server.apiKey}`,
          'x-correlation-id': 'log-test-upload',
        },
        body: document,
      },
    );
    expect(response.status).toBe(201);
    const tenant = await server.app.services.auth.authenticate(server.apiKey);
    await expect
      .poll(() => requestLine('log-test-upload'))
      .toMatchObject({
        status: 201,
        tenantId: tenant.id,
        procedures: ['documents.upload'],
      });
    const metrics = await server.app.services.metrics.registry.metrics();
    expect(metrics).toMatch(
      /chunkflow_procedure_duration_seconds_count\{procedure="documents.upload",type="mutation",status="200"\} [1-9]/,
    );
  });

  it('looks a key up once per request, also when a large body had it checked before being read', async () => {
    const collection = await server.client.collections.create.mutate({ name: 'one lookup' });
    const selects = async () => {
      const text = await server.app.services.metrics.registry.metrics();
      return Number(/chunkflow_db_query_duration_seconds_count\{operation="select"\} (\d+)/.exec(text)?.[1]);
    };
    const create = async (repeat: number) => {
      const before = await selects();
      const created = await fetch(`${server.url}/api/v2/collections/${collection.id}/documents`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${server.apiKey}` },
        body: JSON.stringify({ name: `body of ${repeat}`, content: 'Body text. '.repeat(repeat) }),
      });
      expect(created.status).toBe(200);
      return (await selects()) - before;
    };
    // The same procedure, with a body read before the key is checked and one over 64 KiB, checked first.
    const small = await create(10);
    const large = await create(10_000);
    expect(large).toBe(small);
  });

  it('exports procedure latency, database, cache, runtime and registered metrics at /metrics', async () => {
    const preview = {
      content: document,
      strategy: 'fixed' as const,
      config: { chunkSize: 30, chunkOverlap: 0 },
    };
    await server.client.chunking.preview.mutate(preview);
    await server.client.chunking.preview.mutate(preview);
    server.app.services.metrics.registerGauge(
      'chunkflow_test_queue_depth',
      'Jobs waiting (test)',
      () => [{ labels: { queue: 'chunking' }, value: 7 }],
      ['queue'],
    );

    const response = await fetch(`${server.url}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(
      /chunkflow_procedure_duration_seconds_count\{procedure="chunking.preview",type="mutation",status="200"\} [1-9]/,
    );
    expect(text).toMatch(/chunkflow_db_query_duration_seconds_count\{operation="select"\} [1-9]/);
    expect(text).toMatch(/chunkflow_preview_cache_lookups_total\{result="hit"\} [1-9]/);
    expect(text).toMatch(/chunkflow_preview_cache_hit_ratio 0\.\d+/);
    expect(text).toMatch(/nodejs_eventloop_lag_seconds \d/);
    // The event-loop delay since the last scrape (perf_hooks.monitorEventLoopDelay): worst and p99.
    expect(text).toMatch(/nodejs_eventloop_lag_p99_seconds \d/);
    expect(text).toMatch(/nodejs_eventloop_lag_max_seconds \d/);
    expect(text).toContain('chunkflow_test_queue_depth{queue="chunking"} 7');
    // Background work is observable in every process: backlog, upload memory, statistics cache.
    expect(text).toMatch(/chunkflow_queue_waiting_jobs \d+/);
    expect(text).toMatch(/chunkflow_mempool_max_bytes\{pool="uploads"\} [1-9]/);
    expect(text).toMatch(/chunkflow_statistics_cache_hit_ratio \d/);
  });
});

describe('/metrics with METRICS_TOKEN set', () => {
  const token = 'scrape-token-for-tests';
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer('embedded', { environment: { METRICS_TOKEN: token } });
  });
  afterAll(() => server?.close());

  it('answers only a scraper that sends the token, with a typed error otherwise', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token', token, `Bearer ${server.apiKey}`]) {
      const response = await fetch(`${server.url}/metrics`, {
        headers: authorization ? { authorization } : {},
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({
        error: { code: 'UNAUTHORIZED', correlationId: expect.any(String) },
      });
    }
    const response = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/nodejs_eventloop_lag_seconds \d/);
  });
});

describe('error logs', () => {
  it('keep the full cause chain of a failure while the client sees no internal detail', async () => {
    const { logger, lines } = capturedLogger();
    const testDb = await createTestDatabase();
    const databaseName = new URL(testDb.url).pathname.slice(1);
    const dataDir = await mkdtemp(join(tmpdir(), 'chunkflow-log-test-'));
    const config = settingsFrom({
      DATABASE_URL: testDb.url,
      CHUNKFLOW_DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      BOOTSTRAP_API_KEY: 'log-test-key-0123456789abcdef0123456789',
    });
    const app = await startApp(config, logger);
    try {
      // Pull the database out from under the running server.
      await testDb.drop();

      const response = await fetch(`${app.url}/api/v2/collections`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: 'Bearer log-test-key-0123456789abcdef0123456789',
          'x-correlation-id': 'log-test-failure',
        },
        body: JSON.stringify({ name: 'doomed' }),
      });
      expect(response.status).toBeGreaterThanOrEqual(500);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.message).not.toContain(databaseName);

      const failure = lines.find(
        (line) => line.msg === 'procedure failed' && line.correlationId === 'log-test-failure',
      );
      expect(causeMessages(failure?.err).length).toBeGreaterThanOrEqual(2);
      expect(causeMessages(failure?.err).join(' | ')).toContain(databaseName);
    } finally {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

interface SerializedError {
  message?: string;
  cause?: SerializedError;
}

/** Messages of a logged error and its nested causes, outermost first. */
function causeMessages(logged: unknown): string[] {
  const messages: string[] = [];
  for (let error = logged as SerializedError | undefined; error; error = error.cause) {
    messages.push(String(error.message));
  }
  return messages;
}

describe('readiness', () => {
  it('reports migrations applied, and not ready while one is pending', async () => {
    const testDb = await createTestDatabase();
    const migrationsDir = await mkdtemp(join(tmpdir(), 'chunkflow-readiness-'));
    await cp(fileURLToPath(new URL('../../../prisma/migrations', import.meta.url)), migrationsDir, {
      recursive: true,
    });
    const database = await openDatabase({ url: testDb.url, migrationsDir });
    try {
      await database.migrate();
      const health = new HealthService([migrationsProbe(database)]);
      expect(await health.readiness()).toMatchObject({
        ready: true,
        dependencies: { migrations: { ok: true } },
      });

      await mkdir(join(migrationsDir, '29990101000000_later'));
      await writeFile(join(migrationsDir, '29990101000000_later', 'migration.sql'), 'SELECT 1;');
      const readiness = await health.readiness();
      expect(readiness.ready).toBe(false);
      expect(readiness.dependencies.migrations?.error).toContain('29990101000000_later');
    } finally {
      await database.close();
      await testDb.drop();
      await rm(migrationsDir, { recursive: true, force: true });
    }
  });

  it.each(backendModes)(
    'serves /readyz with database, migrations and (services) Redis on the %s backends',
    async (mode) => {
      const server = await startTestServer(mode);
      try {
        const response = await fetch(`${server.url}/readyz`);
        expect(response.status).toBe(200);
        const readiness = (await response.json()) as { dependencies: Record<string, { ok: boolean }> };
        const expected =
          mode === 'services' ? ['database', 'migrations', 'redis'] : ['database', 'migrations'];
        expect(Object.keys(readiness.dependencies).sort()).toEqual(expected);
        expect(Object.values(readiness.dependencies).every((dependency) => dependency.ok)).toBe(true);
      } finally {
        await server.close();
      }
    },
  );

  it('names a dependency that is down and its state, never the reason (which may name hosts)', async () => {
    const redisUrl = new URL(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
    const proxy = await TcpProxy.start(redisUrl.hostname, Number(redisUrl.port || 6379));
    const server = await startTestServer('services', {
      environment: { REDIS_URL: `redis://127.0.0.1:${proxy.port}` },
    });
    try {
      proxy.cut();
      const response = await fetch(`${server.url}/readyz`);
      expect(response.status).toBe(503);
      const body = await response.text();
      const readiness = JSON.parse(body) as { dependencies: Record<string, Record<string, unknown>> };
      expect(readiness.dependencies.redis).toMatchObject({ ok: false });
      expect(readiness.dependencies.redis).not.toHaveProperty('error');
      expect(body).not.toContain(String(proxy.port));
    } finally {
      await server.close();
      await proxy.close();
    }
  });
});
