import { request } from 'node:http';
import { Writable } from 'node:stream';
import { countTokens } from '@chunkflow/chunkers';
import { ExportError, type ExportLine, exportChunks } from '@chunkflow/client';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settledOperation } from './support/collection-checks.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const guide = (name: string) =>
  [
    `# ${name}`,
    '',
    '## Install',
    '',
    'Run the installer and wait for it to finish. It takes a minute or two on most machines.',
    '',
    '## Options',
    '',
    '| option | meaning |',
    '|--------|---------|',
    ...Array.from({ length: 12 }, (_, row) => `| key${row} | what key ${row} changes in the output |`),
    '',
  ].join('\n');

/** Log lines of the server as parsed JSON, to see what it did with a stream after the client left. */
function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, destination), lines };
}

async function waitFor<T>(find: () => T | undefined): Promise<T> {
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function collect(lines: AsyncIterable<ExportLine>): Promise<ExportLine[]> {
  const all: ExportLine[] = [];
  for await (const line of lines) all.push(line);
  return all;
}

describe('collection export (embedded: one database session, so no read may hold it)', () => {
  let server: TestServer;
  let log: ReturnType<typeof capturedLogger>;
  let collectionId: string;
  let documentIds: string[];
  const exportUrl = (id: string, query = '') => `${server.url}/api/v2/collections/${id}/export${query}`;
  const get = (url: string, apiKey = server.apiKey) =>
    fetch(url, { headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {} });

  beforeAll(async () => {
    log = capturedLogger();
    server = await startTestServer('embedded', { logger: log.logger });
    collectionId = (await server.client.collections.create.mutate({ name: 'guides' })).id;
    documentIds = [];
    for (const name of ['Alpha', 'Beta', 'Gamma']) {
      const created = await server.client.documents.create.mutate({
        collectionId,
        name: `${name.toLowerCase()}.md`,
        content: guide(name),
        metadata: { team: name, headings: ['never the strategy’s'] },
      });
      documentIds.push(created.id);
    }
    documentIds.sort();
    const { operationId } = await server.client.chunking.applyToCollection.mutate({
      collectionId,
      strategy: 'markdown',
      config: { chunkSize: 160, chunkOverlap: 0, minChunkSize: 40 },
    });
    expect((await settledOperation(server.client, operationId)).status).toBe('completed');
  });
  afterAll(async () => {
    await server?.close();
  });

  it('streams every stored chunk as NDJSON, in document then chunk order, ready to embed', async () => {
    const response = await get(exportUrl(collectionId));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(response.headers.get('x-correlation-id')).toBeTruthy();
    const lines = (await response.text())
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as ExportLine);
    const order = lines.map((line) => [documentIds.indexOf(line.documentId), line.index]);
    expect(order).toEqual(
      [...order].sort(([a, i], [b, j]) => (a as number) - (b as number) || (i as number) - (j as number)),
    );
    expect(new Set(lines.map((line) => line.documentId))).toEqual(new Set(documentIds));
    for (const line of lines) {
      const name = line.documentName.replace('.md', '');
      const title = name[0]?.toUpperCase() + name.slice(1);
      const headings = line.metadata.headings as string[];
      expect(headings[0]).toBe(title);
      expect(line.embedText.startsWith(`${line.documentName}\n${headings.join(' > ')}\n\n`)).toBe(true);
      expect(line.embedText.endsWith(line.content)).toBe(true);
      expect(line.embedTokenCount).toBe(countTokens(line.embedText, 'cl100k_base'));
      expect(line.tokenCount).toBe(countTokens(line.content, 'cl100k_base'));
      expect(line.metadata.team).toBe(title);
      expect(line.documentMetadata).toEqual({ team: title, headings: ['never the strategy’s'] });
      // minChunkSize: no chunk is a heading alone.
      const trimmed = line.content.trim();
      expect(trimmed.startsWith('#') && !trimmed.includes('\n')).toBe(false);
    }
    // The table was split: its later pieces carry its header rows before their content.
    const tablePieces = lines.filter((line) => line.content.startsWith('| key'));
    expect(tablePieces.length).toBeGreaterThan(0);
    for (const piece of tablePieces)
      expect(piece.embedText).toContain('| option | meaning |\n|--------|---------|\n| key');
  });

  it('gives the lines to a typed client as an async iterable, filtered by document or resumed after one', async () => {
    const options = { url: server.url, apiKey: server.apiKey, collectionId };
    const all = await collect(exportChunks(options));
    const [first, second, third] = documentIds as [string, string, string];
    const only = await collect(exportChunks({ ...options, documentId: second }));
    expect(only).toEqual(all.filter((line) => line.documentId === second));
    const resumed = await collect(exportChunks({ ...options, afterDocumentId: first }));
    expect(resumed).toEqual(all.filter((line) => line.documentId === second || line.documentId === third));
    for await (const line of exportChunks(options)) {
      expect(line).toEqual(all[0]);
      break;
    }
  });

  it('refuses unknown and foreign collections, bad ids and missing keys with typed errors', async () => {
    const other = await server.app.services.auth.createApiKey('export-other', 'test');
    const answers = [
      [await get(exportUrl(collectionId), other), 404, 'NOT_FOUND'],
      [await get(exportUrl('00000000-0000-4000-8000-000000000000')), 404, 'NOT_FOUND'],
      [await get(exportUrl('not-a-uuid')), 404, 'NOT_FOUND'],
      [await get(exportUrl(collectionId, '?afterDocumentId=1%27%20OR%201=1')), 400, 'VALIDATION_ERROR'],
      [await get(exportUrl(collectionId, '?documentId=')), 400, 'VALIDATION_ERROR'],
      [await get(exportUrl(collectionId, '?cursor=abc')), 400, 'VALIDATION_ERROR'],
      [await get(exportUrl(collectionId), ''), 401, 'UNAUTHORIZED'],
    ] as const;
    for (const [response, status, code] of answers) {
      expect(response.status).toBe(status);
      const body = (await response.json()) as { error: { code: string; correlationId: string } };
      expect(body.error.code).toBe(code);
      expect(body.error.correlationId).toBe(response.headers.get('x-correlation-id'));
    }
    const refused = await collect(exportChunks({ url: server.url, apiKey: other, collectionId })).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(ExportError);
    expect(refused).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('runs as the procedure chunks.export, through the middleware every procedure has', async () => {
    const correlationId = `export-procedure-${Date.now()}`;
    const response = await fetch(exportUrl(collectionId, `?documentId=${documentIds[0]}`), {
      headers: { authorization: `Bearer ${server.apiKey}`, 'x-correlation-id': correlationId },
    });
    expect(response.status).toBe(200);
    await response.text();
    const logged = await waitFor(() =>
      log.lines.find((line) => line.correlationId === correlationId && Array.isArray(line.procedures)),
    );
    expect(logged).toMatchObject({ procedures: ['chunks.export'], tenantId: expect.any(String) });
  });

  it('stops reading when the client goes away mid-stream, and keeps serving', async () => {
    const { id: bigCollection } = await server.client.collections.create.mutate({ name: 'big' });
    // About 5 MB of lines: more than socket buffers hold, so the server is still sending when the client leaves.
    const content = 'Forty-one characters of text, over again. '.slice(0, 41).repeat(20_000);
    await server.client.documents.create.mutate({ collectionId: bigCollection, name: 'big.txt', content });
    const { operationId } = await server.client.chunking.applyToCollection.mutate({
      collectionId: bigCollection,
      strategy: 'fixed',
      config: { chunkSize: 40, chunkOverlap: 0 },
    });
    expect((await settledOperation(server.client, operationId)).status).toBe('completed');
    const correlationId = `export-cut-${Date.now()}`;
    await new Promise<void>((resolve, reject) => {
      const outgoing = request(exportUrl(bigCollection), {
        headers: { authorization: `Bearer ${server.apiKey}`, 'x-correlation-id': correlationId },
      });
      outgoing.on('response', (response) => {
        expect(response.statusCode).toBe(200);
        response.once('data', () => {
          outgoing.destroy();
          resolve();
        });
      });
      outgoing.on('error', (error) => (outgoing.destroyed ? undefined : reject(error)));
      outgoing.end();
    });
    const closed = await waitFor(() =>
      log.lines.find((line) => line.msg === 'export closed' && line.correlationId === correlationId),
    );
    expect(closed.complete).toBe(false);
    const finished = await collect(
      exportChunks({ url: server.url, apiKey: server.apiKey, collectionId: bigCollection }),
    );
    expect(finished).toHaveLength(Math.ceil(content.length / 40));
    const whole = await waitFor(() =>
      log.lines.find((line) => line.msg === 'export closed' && line.complete === true),
    );
    expect(whole).toBeDefined();
  });

  it('is in the OpenAPI document, authenticated, with its query parameters and line schema', async () => {
    const document = (await (await fetch(`${server.url}/api/v2/openapi.json`)).json()) as {
      paths: Record<string, { get?: Record<string, unknown> }>;
    };
    const operation = document.paths['/collections/{collectionId}/export']?.get as {
      security: unknown[];
      parameters: { name: string }[];
      responses: Record<
        string,
        { content?: Record<string, { schema: { properties: Record<string, unknown> } }> }
      >;
    };
    expect(operation.security).toEqual([{ bearerAuth: [] }]);
    expect(operation.parameters.map((parameter) => parameter.name)).toEqual(
      expect.arrayContaining(['collectionId', 'documentId', 'afterDocumentId', 'X-Correlation-ID']),
    );
    const schema = operation.responses['200']?.content?.['application/x-ndjson']?.schema;
    expect(Object.keys(schema?.properties ?? {})).toEqual(
      expect.arrayContaining(['embedText', 'documentMetadata']),
    );
    expect(operation.responses['404']).toBeDefined();
  });
});

describe('collection export past its time budget', () => {
  let server: TestServer;
  afterAll(async () => {
    await server?.close();
  });

  beforeAll(async () => {
    server = await startTestServer('embedded', { environment: { EXPORT_TIMEOUT_MS: '1' } });
  }, 120_000);

  it('ends the stream with a typed error line, which the typed client throws', async () => {
    const { id: collectionId } = await server.client.collections.create.mutate({ name: 'slow export' });
    // 3,000 chunks: three batches of 1,000, and reading one batch takes longer than the 1 ms budget.
    await server.client.documents.create.mutate({
      collectionId,
      name: 'long.txt',
      content: 'abcd'.repeat(3_000),
    });
    const { operationId } = await server.client.chunking.applyToCollection.mutate({
      collectionId,
      strategy: 'fixed',
      config: { chunkSize: 4, chunkOverlap: 0 },
    });
    expect((await settledOperation(server.client, operationId)).status).toBe('completed');
    const response = await fetch(`${server.url}/api/v2/collections/${collectionId}/export`, {
      headers: { authorization: `Bearer ${server.apiKey}` },
    });
    expect(response.status).toBe(200);
    const lines = (await response.text()).trimEnd().split('\n');
    expect(lines).toHaveLength(1_001);
    expect(JSON.parse(lines.at(-1) as string)).toEqual({
      error: {
        code: 'BUDGET_EXCEEDED',
        message: 'export exceeded its time budget of 1 ms',
        correlationId: response.headers.get('x-correlation-id'),
        details: { operation: 'export', budgetMs: 1 },
      },
    });
    const refused = await collect(
      exportChunks({ url: server.url, apiKey: server.apiKey, collectionId }),
    ).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ExportError);
    expect(refused).toMatchObject({ status: 200, code: 'BUDGET_EXCEEDED' });
  }, 120_000);
});
