import { TRPCClientError } from '@chunkflow/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendModes } from './support/backends.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const document = [
  '# Chunkflow',
  '',
  'Chunkflow cuts documents into chunks. Each chunk keeps exact offsets.',
  '',
  '## Why',
  '',
  'Retrieval quality depends on where the cuts fall. Good cuts follow structure.',
].join('\n');

async function errorOf(promise: Promise<unknown>): Promise<TRPCClientError<never>> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  return error as TRPCClientError<never>;
}

describe.each(backendModes)('HTTP API on the %s backends', (mode) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(mode);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('lists the strategies without an API key', async () => {
    const { strategies } = await server.clientFor(undefined).chunking.strategies.query({});
    expect(strategies.map((strategy) => strategy.name)).toContain('recursive');
  });

  it('previews a document with exact offsets', async () => {
    const preview = await server.client.chunking.preview.mutate({
      content: document,
      strategy: 'recursive',
      config: { chunkSize: 60, chunkOverlap: 0 },
    });
    expect(preview.totalChunks).toBeGreaterThan(1);
    for (const chunk of preview.chunks) {
      expect(document.slice(chunk.startOffset, chunk.endOffset)).toBe(chunk.content);
      expect(chunk.charCount).toBeLessThanOrEqual(60);
    }
    expect(preview.expiresAt).toBeInstanceOf(Date);
    expect(preview.cached).toBe(false);
    const again = await server.client.chunking.preview.mutate({
      content: document,
      strategy: 'recursive',
      config: { chunkSize: 60, chunkOverlap: 0 },
    });
    expect(again.cached).toBe(true);
    expect(again.chunks).toEqual(preview.chunks);
  });

  it('rejects an invalid config with INVALID_CONFIG naming the field', async () => {
    const error = await errorOf(
      server.client.chunking.preview.mutate({
        content: document,
        strategy: 'recursive',
        config: { chunkSize: 100, chunkOverlap: 100 },
      }),
    );
    const data = error.data as unknown as { code: string; correlationId: string; details: { field: string } };
    expect(data.code).toBe('INVALID_CONFIG');
    expect(data.details.field).toBe('chunkOverlap');
    expect(data.correlationId).toMatch(/.+/);
  });

  it('requires an API key for preview', async () => {
    const error = await errorOf(
      server.clientFor(undefined).chunking.preview.mutate({ content: 'text', strategy: 'recursive' }),
    );
    expect((error.data as unknown as { code: string }).code).toBe('UNAUTHORIZED');
    const wrongKey = await errorOf(
      server.clientFor('not-a-key').chunking.preview.mutate({ content: 'text', strategy: 'recursive' }),
    );
    expect((wrongKey.data as unknown as { code: string }).code).toBe('UNAUTHORIZED');
  });

  it('creates and reads a collection, invisible to another tenant', async () => {
    const created = await server.client.collections.create.mutate({ name: 'handbook', description: 'docs' });
    const read = await server.client.collections.get.query({ id: created.id });
    expect(read).toMatchObject({ id: created.id, name: 'handbook', description: 'docs' });
    expect(read.createdAt).toBeInstanceOf(Date);

    const otherKey = await server.app.services.auth.createApiKey('other-tenant', 'test');
    const error = await errorOf(server.clientFor(otherKey).collections.get.query({ id: created.id }));
    expect((error.data as unknown as { code: string }).code).toBe('NOT_FOUND');
  });

  it("refuses an apply that lists another tenant's document, recording no operation", async () => {
    const { id: foreignCollection } = await server.client.collections.create.mutate({ name: 'foreign' });
    const foreign = await server.client.documents.create.mutate({
      collectionId: foreignCollection,
      name: 'theirs.md',
      content: document,
    });
    const other = server.clientFor(await server.app.services.auth.createApiKey('applier', 'test'));
    const { id: collectionId } = await other.collections.create.mutate({ name: 'own' });
    const error = await errorOf(
      other.chunking.applyToCollection.mutate({
        collectionId,
        strategy: 'recursive',
        documentIds: [foreign.id],
      }),
    );
    expect(error.data).toMatchObject({ code: 'NOT_FOUND', httpStatus: 404 });
    expect((await other.operations.list.query({ collectionId })).items).toEqual([]);
  });

  it('serves REST with the error envelope and echoes the correlation id', async () => {
    const strategies = await fetch(`${server.url}/api/v2/chunking/strategies`);
    expect(strategies.status).toBe(200);
    expect(((await strategies.json()) as { strategies: unknown[] }).strategies.length).toBeGreaterThan(0);

    const response = await fetch(`${server.url}/api/v2/chunking/preview`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${server.apiKey}`,
        'x-correlation-id': 'rest-test-1',
      },
      body: JSON.stringify({ content: document, strategy: 'no-such-strategy' }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-correlation-id')).toBe('rest-test-1');
    const body = (await response.json()) as {
      error: { code: string; correlationId: string; message: string };
    };
    expect(body.error).toMatchObject({ code: 'INVALID_CONFIG', correlationId: 'rest-test-1' });

    const created = await fetch(`${server.url}/api/v2/collections`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.apiKey}` },
      body: JSON.stringify({ name: 'rest collection' }),
    });
    expect(created.status).toBe(200);
    const { id } = (await created.json()) as { id: string };
    const fetched = await fetch(`${server.url}/api/v2/collections/${id}`, {
      headers: { authorization: `Bearer ${server.apiKey}` },
    });
    expect(((await fetched.json()) as { name: string }).name).toBe('rest collection');
  });

  it('answers unknown REST paths with a typed 404', async () => {
    const response = await fetch(`${server.url}/api/v2/nowhere`);
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: { code: string; correlationId: string } };
    expect(body.error.code).toBe('NOT_FOUND');
    expect(body.error.correlationId).toBe(response.headers.get('x-correlation-id'));
  });

  it('publishes an OpenAPI 3 document and health endpoints', async () => {
    const document = (await (await fetch(`${server.url}/api/v2/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/chunking/strategies',
        '/chunking/preview',
        '/collections',
        '/collections/{id}',
      ]),
    );
    const docs = await fetch(`${server.url}/api/v2/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
  });
});
