import { randomInt } from 'node:crypto';
import { appRouter } from '@chunkflow/api';
import type { ChunkflowClient, StrategyChoice } from '@chunkflow/client';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionBackend, type TestBackend } from './support/backends.ts';
import { seedCollection, settledOperation } from './support/collection-checks.ts';
import { invalidInput, malformedBody, procedureShapedInput } from './support/hostile-input.ts';
import { type ProcessCluster, processClusterOn, type ServerProcess } from './support/process-cluster.ts';

const CHOICE: StrategyChoice = { strategy: 'recursive', config: { chunkSize: 400, chunkOverlap: 40 } };
/** Procedures that store nothing a tenant owns: any input may reach them, valid or not. */
const COMPUTING_MUTATIONS = new Set(['chunking.preview', 'chunking.compare', 'chunking.recommend']);
/** Bodies stay under the server's limit (BODY_LIMIT_BYTES, 12 MiB): larger ones get 413 before being read. */
const MAX_BODY_BYTES = 11 * 1024 * 1024;
/** Query strings stay under Node's 16 KiB header limit: longer ones never reach the application. */
const MAX_QUERY_CHARS = 8_000;

// tRPC's flat map of procedure paths (its static type mirrors the nested router instead).
const flatProcedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>;
const procedures = Object.entries(flatProcedures).map(([path, procedure]) => ({
  path,
  type: procedure._def.type,
}));

interface Sent {
  method: string;
  path: string;
  body?: string | Uint8Array<ArrayBuffer>;
  /** A write: only inputs no schema accepts are sent to it, so nothing stored may change. */
  writes: boolean;
}

interface Answer {
  status: number;
  correlationHeader: string | null;
  body: string;
}

/** Everything the tenant stores, read back through the API: collections, documents, chunks, presets. */
async function snapshot(client: ChunkflowClient) {
  const collections = await client.collections.list.query({ limit: 100 });
  const documents = [];
  const chunks = [];
  for (const collection of collections.items) {
    const page = await client.documents.list.query({ collectionId: collection.id, limit: 100 });
    for (const document of page.items) {
      documents.push(await client.documents.get.query({ id: document.id }));
      chunks.push(
        await client.chunks.list.query({ collectionId: collection.id, documentId: document.id, limit: 100 }),
      );
    }
  }
  const presets = await client.configs.list.query({ limit: 100 });
  const operations = await client.operations.list.query({ limit: 100 });
  return { collections, documents, chunks, presets, operations };
}

function trpcRequest(
  procedure: { path: string; type: string },
  input: unknown,
  raw?: string | Uint8Array<ArrayBuffer>,
): Sent {
  const writes = procedure.type === 'mutation' && !COMPUTING_MUTATIONS.has(procedure.path);
  if (procedure.type !== 'mutation') {
    const query = encodeURIComponent(JSON.stringify({ json: input }) ?? '').slice(0, MAX_QUERY_CHARS);
    return { method: 'GET', path: `/trpc/${procedure.path}?input=${query}`, writes };
  }
  return {
    method: 'POST',
    path: `/trpc/${procedure.path}`,
    body: raw ?? JSON.stringify({ json: input }),
    writes,
  };
}

function withinLimits(request: Sent): boolean {
  return (
    request.body === undefined ||
    (typeof request.body === 'string' ? Buffer.byteLength(request.body) : request.body.byteLength) <=
      MAX_BODY_BYTES
  );
}

/**
 * Each run explores new inputs from a new seed, printed first so that any failure, or a run cut
 * short by the test's timeout, replays with FUZZ_SEED=<seed>. A failure is reported at once,
 * without shrinking: each shrink step would replay requests of several MB.
 */
const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? randomInt(2 ** 31));
const FUZZ_RUNS = { seed: FUZZ_SEED, endOnFailure: true };

/** Bounded time: an answer slower than this aborts the request and fails with it. */
const ANSWER_TIMEOUT_MS = 60_000;

/** The request as a failure names it: method, path and the start of the body. */
function described(request: Sent): string {
  const body =
    request.body === undefined
      ? ''
      : typeof request.body === 'string'
        ? ` ${request.body.length} chars: ${request.body.slice(0, 200)}`
        : ` ${request.body.byteLength} bytes`;
  return `${request.method} ${request.path.slice(0, 120)}${body}`;
}

async function send(server: ServerProcess, apiKey: string, request: Sent): Promise<Answer> {
  try {
    const response = await fetch(`${server.url}${request.path}`, {
      signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
      method: request.method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      ...(request.body === undefined ? {} : { body: request.body }),
    });
    // A subscription that opened is a stream, not an answer: its status is all there is to check.
    const streaming = response.headers.get('content-type')?.includes('text/event-stream') ?? false;
    const body = streaming ? '' : await response.text();
    if (streaming) await response.body?.cancel();
    return { status: response.status, correlationHeader: response.headers.get('x-correlation-id'), body };
  } catch (error) {
    // No answer (timed out, connection reset): name the request, not only the generated values.
    throw new Error(`no answer to ${described(request)}`, { cause: error });
  }
}

/** Never a 5xx; every error typed (an application code) and correlated, in the tRPC or REST envelope. */
function expectTypedAnswer(request: Sent, answer: Answer): void {
  const context = `${described(request)} → ${answer.status} ${answer.body.slice(0, 300)}`;
  expect(answer.status, context).toBeLessThan(500);
  expect(answer.correlationHeader, context).toMatch(/\S/);
  if (answer.status < 400) {
    expect(request.writes, `a write accepted invalid input: ${context}`).toBe(false);
    return;
  }
  const parsed = JSON.parse(answer.body) as {
    error: {
      code?: string;
      correlationId?: string;
      json?: { data?: { code?: string; correlationId?: string } };
    };
  };
  const error = parsed.error.json?.data ?? parsed.error;
  expect(error.code, context).toMatch(/^[A-Z_]+$/);
  expect(error.correlationId, context).toBe(answer.correlationHeader);
}

describe('hostile input over HTTP, tRPC and REST (server process, PostgreSQL, Redis)', () => {
  let backend: TestBackend;
  let cluster: ProcessCluster;
  let server: ServerProcess;
  let restRoutes: Array<{ method: string; path: string; writes: boolean }>;

  beforeAll(async () => {
    backend = await provisionBackend('services');
    cluster = processClusterOn(backend);
    const unthrottled = {
      RATE_LIMIT_PREVIEW: '1000000',
      RATE_LIMIT_COMPARE: '1000000',
      RATE_LIMIT_APPLY: '1000000',
      RATE_LIMIT_READS: '1000000',
      MAX_SSE_CONNECTIONS_PER_KEY: '10000',
    };
    server = await cluster.startServer(unthrottled);
    await cluster.startWorker();
    // Stored data to guard: documents chunked by a completed operation, and a preset.
    const { collectionId } = await seedCollection(server.client, 'guarded', 1);
    const applied = await server.client.chunking.applyToCollection.mutate({ collectionId, ...CHOICE });
    expect((await settledOperation(server.client, applied.operationId)).status).toBe('completed');
    await server.client.configs.create.mutate({ name: 'guarded', ...CHOICE });

    const openapi = (await (await fetch(`${server.url}/api/v2/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { operationId?: string }>>;
    };
    const documented = Object.entries(openapi.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => ({
        method: method.toUpperCase(),
        path: `/api/v2${path}`,
        writes: method !== 'get' && !/\/chunking\/(preview|compare|recommend)$/.test(path),
      })),
    );
    // The streaming upload takes a raw body, so it is served outside the OpenAPI document.
    const upload = '/api/v2/collections/{collectionId}/documents/upload?name={name}';
    restRoutes = [
      ...documented,
      { method: 'PUT', path: upload, writes: true },
      { method: 'POST', path: upload, writes: true },
    ];
  });
  afterAll(async () => {
    await cluster?.close();
    await backend?.cleanup();
  });

  it('answers every procedure typed and correlated, never 5xx, and changes nothing stored', async () => {
    console.info(`fuzz seed ${FUZZ_SEED} (replay with FUZZ_SEED=${FUZZ_SEED})`);
    const before = await snapshot(server.client);
    const procedure = fc.constantFrom(...procedures);

    await fc.assert(
      fc.asyncProperty(
        procedure,
        fc.oneof(procedureShapedInput, invalidInput),
        invalidInput,
        async (target, shaped, invalid) => {
          const writes = target.type === 'mutation' && !COMPUTING_MUTATIONS.has(target.path);
          const request = trpcRequest(target, writes ? invalid : shaped);
          fc.pre(withinLimits(request));
          expectTypedAnswer(request, await send(server, cluster.apiKey, request));
        },
      ),
      { ...FUZZ_RUNS, numRuns: 250 },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...procedures), malformedBody, async (target, body) => {
        const request = { ...trpcRequest(target, undefined), method: 'POST', body };
        expectTypedAnswer(request, await send(server, cluster.apiKey, request));
      }),
      { ...FUZZ_RUNS, numRuns: 60 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...restRoutes),
        fc.oneof(procedureShapedInput, invalidInput),
        invalidInput,
        fc.oneof(fc.constant(undefined), malformedBody),
        fc.array(fc.string({ unit: 'binary', maxLength: 40 }), { minLength: 3, maxLength: 3 }),
        async (route, shaped, invalid, malformed, pathValues) => {
          let index = 0;
          // Dot segments would be resolved away by the URL parser, leaving another route.
          const segment = (value: string | undefined) => (!value || /^\.{1,2}$/.test(value) ? 'x' : value);
          const path = route.path.replace(/\{[^}]+\}/g, () =>
            encodeURIComponent(segment(pathValues[index++])),
          );
          const input = route.writes ? invalid : shaped;
          const request: Sent =
            route.method === 'GET' || route.method === 'DELETE'
              ? {
                  method: route.method,
                  writes: route.writes,
                  path: `${path}?${new URLSearchParams(
                    Object.entries(typeof input === 'object' && input !== null ? input : { input }).map(
                      ([key, value]) => [key, String(JSON.stringify(value)).slice(0, 1000)],
                    ),
                  )}`.slice(0, MAX_QUERY_CHARS),
                }
              : {
                  method: route.method,
                  writes: route.writes,
                  path,
                  body: malformed ?? JSON.stringify(input),
                };
          fc.pre(withinLimits(request));
          expectTypedAnswer(request, await send(server, cluster.apiKey, request));
        },
      ),
      { ...FUZZ_RUNS, numRuns: 200 },
    );

    expect(cluster.servers[0]?.child.process.exitCode).toBeNull();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(await snapshot(server.client)).toEqual(before);
  }, 300_000);
});

describe('pathological documents complete (server and worker processes, PostgreSQL, Redis)', () => {
  let backend: TestBackend;
  let cluster: ProcessCluster;
  let server: ServerProcess;

  beforeAll(async () => {
    backend = await provisionBackend('services');
    cluster = processClusterOn(backend);
    // These documents must complete in linear time, which the tests' own timeouts check (a
    // quadratic pass takes minutes); the default 30 s request budget would instead make them
    // depend on how loaded the machine is.
    server = await cluster.startServer({ REQUEST_TIMEOUT_MS: '100000' });
    await cluster.startWorker();
  });
  afterAll(async () => {
    await cluster?.close();
    await backend?.cleanup();
  });

  /** The preview limit (10 MiB characters) is the largest text a preview takes. */
  const PREVIEW_LIMIT_CHARS = 10 * 1024 * 1024;

  it.each(['recursive', 'sentence'] as const)(
    'previews %s chunks of 10 MiB without whitespace',
    async (strategy) => {
      const preview = await server.client.chunking.preview.mutate({
        content: 'x'.repeat(PREVIEW_LIMIT_CHARS),
        strategy,
        config: { chunkSize: 1000, chunkOverlap: 0 },
        maxChunks: 1,
      });
      expect(preview.totalChunks).toBeGreaterThanOrEqual(PREVIEW_LIMIT_CHARS / 1000);
    },
    120_000,
  );

  // One sentence start, then 10 MiB without another: the sentence windows grow to the whole line.
  it('previews sentence chunks of 10 MiB holding a single sentence start', async () => {
    const preview = await server.client.chunking.preview.mutate({
      content: `A. B${'x'.repeat(PREVIEW_LIMIT_CHARS - 4)}`,
      strategy: 'sentence',
      config: { chunkSize: 1000, chunkOverlap: 0 },
      maxChunks: 1,
    });
    expect(preview.totalChunks).toBeGreaterThanOrEqual(PREVIEW_LIMIT_CHARS / 1000);
  }, 120_000);

  // One word of a million letters: BPE merging was quadratic in a piece's length (minutes here).
  it('previews token-sized chunks of 1 MiB without whitespace', async () => {
    const preview = await server.client.chunking.preview.mutate({
      content: 'x'.repeat(2 ** 20),
      strategy: 'fixed',
      config: { sizeUnit: 'tokens', chunkSize: 256, chunkOverlap: 0 },
      maxChunks: 1,
    });
    expect(preview.chunks[0]?.tokenCount).toBe(256);
  }, 120_000);

  it.each(['recursive', 'markdown', 'sentence'] as const)(
    'previews %s chunks of one million tiny lines',
    async (strategy) => {
      const content = 'a\n'.repeat(1_000_000);
      const preview = await server.client.chunking.preview.mutate({
        content,
        strategy,
        config: { chunkSize: 1000, chunkOverlap: 0 },
        maxChunks: 2,
      });
      expect(preview.totalChunks).toBeGreaterThan(0);
      const [first] = preview.chunks;
      expect(first && content.slice(first.startOffset, first.endOffset)).toBe(first?.content);
    },
    120_000,
  );

  it('refuses an overlap that would repeat the text a thousand times, on preview and apply, keeping stored chunks', async () => {
    // Above the offload threshold, so the refusal also crosses back from a chunking thread.
    const content = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(4000);
    const amplifying = { chunkSize: 1000, chunkOverlap: 999 };
    const answer = await send(server, cluster.apiKey, {
      method: 'POST',
      path: '/api/v2/chunking/preview',
      body: JSON.stringify({ content, strategy: 'fixed', config: amplifying }),
      writes: false,
    });
    expect(answer.status).toBe(400);
    expect((JSON.parse(answer.body) as { error: unknown }).error).toMatchObject({
      code: 'INVALID_CONFIG',
      correlationId: answer.correlationHeader,
      details: { field: 'chunkOverlap' },
    });

    const { id: collectionId } = await server.client.collections.create.mutate({ name: 'overlap' });
    await server.client.documents.create.mutate({ collectionId, name: 'prose.txt', content });
    const first = await server.client.chunking.applyToCollection.mutate({ collectionId, strategy: 'fixed' });
    const applied = await settledOperation(server.client, first.operationId);
    expect(applied.status).toBe('completed');
    const second = await server.client.chunking.applyToCollection.mutate({
      collectionId,
      strategy: 'fixed',
      config: amplifying,
    });
    const refused = await settledOperation(server.client, second.operationId);
    expect(refused).toMatchObject({ status: 'failed', error: { code: 'INVALID_CONFIG' } });
    const statistics = await server.client.chunking.statistics.query({ collectionId });
    expect(statistics.totalChunks).toBe(applied.chunksCreated);
  }, 120_000);

  it('stores and chunks one 50 MB line; previewing it answers DOCUMENT_TOO_LARGE', async () => {
    const size = 50 * 1024 * 1024;
    const { id: collectionId } = await server.client.collections.create.mutate({ name: 'one line' });
    const upload = await fetch(
      `${server.url}/api/v2/collections/${collectionId}/documents/upload?name=line.txt`,
      {
        method: 'PUT',
        headers: { 'content-type': 'text/plain', authorization: `Bearer ${cluster.apiKey}` },
        body: 'y'.repeat(size),
      },
    );
    expect(upload.status).toBe(201);
    const { id: documentId } = (await upload.json()) as { id: string };

    const preview = await server.client.chunking.preview
      .mutate({ documentId, strategy: 'fixed', maxChunks: 1 })
      .catch((error: { data?: { code?: string } }) => error.data?.code);
    expect(preview).toBe('DOCUMENT_TOO_LARGE');

    const chunkSize = 4000;
    const applied = await server.client.chunking.applyToCollection.mutate({
      collectionId,
      strategy: 'fixed',
      config: { chunkSize, chunkOverlap: 0 },
    });
    const operation = await settledOperation(server.client, applied.operationId);
    expect(operation).toMatchObject({ status: 'completed', documentsDone: 1 });
    // At least one chunk per 4,000 characters. Not exactly that many: the engine chunks documents
    // in ~1.1M-character segments, and a fixed-size chunk ends at each segment's end.
    expect(operation.chunksCreated).toBeGreaterThanOrEqual(Math.ceil(size / chunkSize));
  }, 180_000);
});
