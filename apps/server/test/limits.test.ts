import { randomUUID } from 'node:crypto';
import { TRPCClientError } from '@chunkflow/client';
import { settingsFrom } from '@chunkflow/core-services';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApp, startApp } from '../src/app.ts';
import { backendModes, provisionBackend, type TestBackend } from './support/backends.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const READS_PER_WINDOW = 3;
const tightLimits = { RATE_LIMIT_READS: String(READS_PER_WINDOW), RATE_LIMIT_WINDOW_SECONDS: '60' };

interface ErrorData {
  code: string;
  httpStatus: number;
  retryAfter?: number;
  correlationId: string;
}

async function errorDataOf(promise: Promise<unknown>): Promise<ErrorData> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  return (error as TRPCClientError<never>).data as unknown as ErrorData;
}

const getCollection = (url: string, apiKey: string) =>
  fetch(`${url}/api/v2/collections/${randomUUID()}`, { headers: { authorization: `Bearer ${apiKey}` } });

describe.each(backendModes)('rate limits over HTTP on the %s backends', (mode) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(mode, { environment: tightLimits });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers tRPC calls over the limit with RATE_LIMITED, HTTP 429 and retryAfter', async () => {
    const apiKey = await server.app.services.auth.createApiKey('trpc-limited', 'test');
    const client = server.clientFor(apiKey);
    const created = await client.collections.create.mutate({ name: 'limited' });
    for (let call = 1; call < READS_PER_WINDOW; call += 1)
      await client.collections.get.query({ id: created.id });

    const data = await errorDataOf(client.collections.get.query({ id: created.id }));
    expect(data).toMatchObject({ code: 'RATE_LIMITED', httpStatus: 429 });
    expect(data.retryAfter).toBeGreaterThanOrEqual(1);
    expect(data.retryAfter).toBeLessThanOrEqual(60);
    expect(data.correlationId).toMatch(/.+/);
  });

  it('answers REST calls over the limit with 429, Retry-After and the error envelope, per API key', async () => {
    const apiKey = await server.app.services.auth.createApiKey('rest-limited', 'test');
    for (let call = 0; call < READS_PER_WINDOW; call += 1) {
      expect((await getCollection(server.url, apiKey)).status).toBe(404);
    }
    const refused = await getCollection(server.url, apiKey);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body = (await refused.json()) as { error: { code: string; correlationId: string } };
    expect(body.error.code).toBe('RATE_LIMITED');
    expect(body.error.correlationId).toBe(refused.headers.get('x-correlation-id'));

    // Another key of the same tenant has its own budget; public procedures are not limited.
    const secondKey = await server.app.services.auth.createApiKey('rest-limited', 'second');
    expect((await getCollection(server.url, secondKey)).status).toBe(404);
    for (let call = 0; call <= READS_PER_WINDOW; call += 1) {
      expect((await fetch(`${server.url}/api/v2/chunking/strategies`)).status).toBe(200);
    }
  });

  it('exports refusals as a metric', async () => {
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/chunkflow_rate_limited_total\{class="reads"\} [1-9]/);
  });
});

describe('rate limits shared by two servers on one Redis', () => {
  let backend: TestBackend;
  const apps: RunningApp[] = [];

  beforeAll(async () => {
    backend = await provisionBackend('services');
    const config = settingsFrom({
      ...backend.environment,
      ...tightLimits,
      PORT: '0',
      HOST: '127.0.0.1',
      BOOTSTRAP_API_KEY: `test-${randomUUID()}`,
    });
    // One after the other: both apply migrations and register the bootstrap key.
    for (let instance = 0; instance < 2; instance += 1) {
      apps.push(await startApp(config, pino({ level: 'silent' })));
    }
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await backend?.cleanup();
  });

  it('counts a key’s calls to either server against one budget', async () => {
    const [first, second] = apps;
    if (!first || !second) throw new Error('both servers must be running');
    const apiKey = await first.services.auth.createApiKey('shared-limit', 'test');
    const statuses: number[] = [];
    for (let call = 0; call <= READS_PER_WINDOW; call += 1) {
      const target = call % 2 === 0 ? first : second;
      statuses.push((await getCollection(target.url, apiKey)).status);
    }
    // Each server alone saw fewer calls than the limit: only a shared count refuses the last one.
    expect(statuses).toEqual([...Array<number>(READS_PER_WINDOW).fill(404), 429]);
  });
});
