import { createHash } from 'node:crypto';
import {
  IMPORT_LIMITS,
  ImportError,
  type ImportResult,
  importBatch,
  TRPCClientError,
} from '@chunkflow/client';
import { buildDocx, buildPdf } from '@chunkflow/converters/fixtures';
import { BULK_LIMITS } from '@chunkflow/core-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server.ts';

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

async function all(results: AsyncGenerator<ImportResult, unknown>) {
  const seen: ImportResult[] = [];
  for (;;) {
    const next = await results.next();
    if (next.done) return { results: seen, summary: next.value };
    seen.push(next.value);
  }
}

/** Posts a raw NDJSON body to the import route and reads every answer line. */
async function rawImport(
  server: TestServer,
  collectionId: string,
  body: string | Uint8Array,
  apiKey?: string,
) {
  const response = await fetch(`${server.url}/api/v2/collections/${collectionId}/documents/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey ?? server.apiKey}`, 'content-type': 'application/x-ndjson' },
    body: body as BodyInit,
  });
  const text = await response.text();
  return {
    status: response.status,
    lines: text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('bulk documents over HTTP (PostgreSQL + Redis)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer('services', { environment: { RATE_LIMIT_DOCUMENTS: '60' } });
  });
  afterAll(() => server?.close());

  const newCollection = async (name: string) => (await server.client.collections.create.mutate({ name })).id;

  it('the client and the server agree on every bulk bound', () => {
    expect(IMPORT_LIMITS).toEqual({
      maxItems: BULK_LIMITS.maxImportItems,
      maxLineBytes: BULK_LIMITS.maxImportLineBytes,
      maxBatchDocuments: BULK_LIMITS.maxBatchDocuments,
      maxLookupHashes: BULK_LIMITS.maxLookupHashes,
    });
  });

  it('createMany answers each text created, duplicate (with the holder) or refused with its typed error', async () => {
    const collectionId = await newCollection('batch');
    const held = await server.client.documents.create.mutate({
      collectionId,
      name: 'held',
      content: 'held text',
    });
    const answer = await server.client.documents.createMany.mutate({
      collectionId,
      documents: [
        { name: 'one.md', content: '# One\n\nfirst', contentType: 'text/markdown', metadata: { n: 1 } },
        { name: 'held-again', content: 'held text' },
        { name: 'nul', content: 'a\u0000b' },
        { name: 'one-again.md', content: '# One\n\nfirst' },
      ],
    });
    expect(answer).toMatchObject({ created: 1, duplicates: 2, refused: 1 });
    const [one, again, nul, oneAgain] = answer.results;
    expect(one).toMatchObject({ index: 0, name: 'one.md', status: 'created' });
    expect(again).toEqual({ index: 1, name: 'held-again', status: 'duplicate', existingDocumentId: held.id });
    expect(nul).toMatchObject({ index: 2, status: 'refused', error: { code: 'VALIDATION_ERROR' } });
    expect(nul?.status === 'refused' && nul.error.correlationId).toBeTruthy();
    expect(oneAgain).toMatchObject({
      status: 'duplicate',
      existingDocumentId: one?.status === 'created' ? one.id : '',
    });
    const stored = await server.client.documents.get.query({ id: one?.status === 'created' ? one.id : '' });
    expect(stored).toMatchObject({
      content: '# One\n\nfirst',
      contentType: 'text/markdown',
      metadata: { n: 1 },
    });

    // Over the bound: refused whole, typed, before anything is stored.
    const tooMany = Array.from({ length: BULK_LIMITS.maxBatchDocuments + 1 }, (_, i) => ({
      name: `d${i}`,
      content: `text ${i}`,
    }));
    const refusal = await server.client.documents.createMany
      .mutate({ collectionId, documents: tooMany })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(refusal).toBeInstanceOf(TRPCClientError);
    expect((refusal as TRPCClientError<never>).data).toMatchObject({
      code: 'VALIDATION_ERROR',
      httpStatus: 400,
    });
    expect((await server.client.documents.list.query({ collectionId, limit: 100 })).items).toHaveLength(2);
  });

  it('imports files as uploads convert them, streams results in order, and finds them again by file hash', async () => {
    const collectionId = await newCollection('import');
    const pdf = await buildPdf([{ heading: 'Report', lines: ['Quarterly tide tables.'] }]);
    const docx = await buildDocx();
    const files = [
      { name: 'report.pdf', bytes: pdf },
      { name: 'memo.docx', bytes: docx },
      { name: 'page.html', text: '<html><body><h1>Quay</h1><p>Moorings and ropes.</p></body></html>' },
      { name: 'notes.md', text: '# Notes\n\nSome notes.', metadata: { source: 'disk' } },
      { name: 'notes-copy.md', text: '# Notes\n\nSome notes.' },
      { name: 'broken.pdf', bytes: new TextEncoder().encode('%PDF-1.7 not really') },
    ];
    const { results, summary } = await all(
      importBatch({ url: server.url, apiKey: server.apiKey, collectionId, files }),
    );
    expect(summary).toEqual({ created: 4, duplicates: 1, refused: 1 });
    expect(results.map((result) => [result.index, result.status])).toEqual([
      [0, 'created'],
      [1, 'created'],
      [2, 'created'],
      [3, 'created'],
      [4, 'duplicate'],
      [5, 'refused'],
    ]);
    expect(results[5]).toMatchObject({ name: 'broken.pdf', error: { code: 'INVALID_DOCUMENT' } });
    const ids = results.map((result) => (result.status === 'created' ? result.id : ''));
    const report = await server.client.documents.get.query({ id: ids[0] ?? '' });
    expect(report).toMatchObject({ contentType: 'application/pdf', pageCount: 1, sourceHash: sha256(pdf) });
    expect(report.content).toContain('Quarterly tide tables.');
    const memo = await server.client.documents.get.query({ id: ids[1] ?? '' });
    expect(memo.content).toContain('# Annual Report');
    const page = await server.client.documents.get.query({ id: ids[2] ?? '' });
    expect(page).toMatchObject({ contentType: 'text/html' });
    expect(page.content).toContain('Moorings and ropes.');

    const { found } = await server.client.documents.findByHashes.mutate({
      collectionId,
      hashes: [sha256(pdf), sha256(docx), sha256('# Notes\n\nSome notes.'), sha256('never sent')],
    });
    expect(found).toEqual(
      expect.arrayContaining([
        { hash: sha256(pdf), documentId: ids[0] },
        { hash: sha256(docx), documentId: ids[1] },
        { hash: sha256('# Notes\n\nSome notes.'), documentId: ids[3] },
      ]),
    );
    expect(found).toHaveLength(3);
  });

  it('answers hostile lines one by one: malformed JSON, unknown keys, bad base64, deep metadata, a huge line', async () => {
    const collectionId = await newCollection('hostile-lines');
    const deep = `${'{"a":'.repeat(40)}1${'}'.repeat(40)}`;
    const huge = `{"name":"huge.txt","text":"${'x'.repeat(BULK_LIMITS.maxImportLineBytes + 10)}"}`;
    const body = [
      '{"name": "fine.txt", "text": "fine"}',
      '{not json',
      '{"name": "extra.txt", "text": "x", "owner": "me"}',
      '{"name": "both.txt", "text": "x", "base64": "eA=="}',
      '{"name": "bad.bin", "base64": "@@@"}',
      `{"name": "deep.txt", "text": "x", "metadata": ${deep}}`,
      huge,
      '',
      '{"name": "after.txt", "text": "after the huge line"}\r',
    ].join('\n');
    const { status, lines } = await rawImport(server, collectionId, body);
    expect(status).toBe(200);
    expect(lines.at(-1)).toEqual({ summary: { created: 2, duplicates: 0, refused: 6 } });
    const codes = lines
      .slice(0, -1)
      .map((line) => [line.index, line.status, (line.error as { code?: string })?.code]);
    expect(codes).toEqual([
      [0, 'created', undefined],
      [1, 'refused', 'VALIDATION_ERROR'],
      [2, 'refused', 'VALIDATION_ERROR'],
      [3, 'refused', 'VALIDATION_ERROR'],
      [4, 'refused', 'VALIDATION_ERROR'],
      [5, 'refused', 'VALIDATION_ERROR'],
      [6, 'refused', 'DOCUMENT_TOO_LARGE'],
      [7, 'created', undefined],
    ]);
  });

  it('ends an import past its item bound with a typed error line, keeping what it stored', async () => {
    const collectionId = await newCollection('too-many');
    const key = await server.app.services.auth.createApiKey('bulk-many', 'test');
    const owned = await server.clientFor(key).collections.create.mutate({ name: 'many' });
    const body = Array.from(
      { length: BULK_LIMITS.maxImportItems + 5 },
      (_, i) => `{"name":"n${i}.txt","text":"same"}`,
    ).join('\n');
    const { status, lines } = await rawImport(server, owned.id, body, key);
    expect(status).toBe(200);
    expect(lines).toHaveLength(BULK_LIMITS.maxImportItems + 1);
    expect(lines.at(-1)).toMatchObject({
      error: { code: 'VALIDATION_ERROR', details: { limit: BULK_LIMITS.maxImportItems } },
    });
    expect(lines[0]).toMatchObject({ status: 'created' });
    expect(lines[1]).toMatchObject({ status: 'duplicate' });
    // Refusals known before any result answer as every request does.
    const foreign = await rawImport(server, owned.id, '{"name":"x","text":"x"}');
    expect(foreign).toMatchObject({ status: 404, lines: [{ error: { code: 'NOT_FOUND' } }] });
    const unknown = await rawImport(server, collectionId, '{"name":"x","text":"x"}', 'not-a-key');
    expect(unknown.status).toBe(401);
  });

  it('counts every item against the key’s documents budget: the rest refused with RATE_LIMITED', async () => {
    const key = await server.app.services.auth.createApiKey('bulk-budget', 'test');
    const client = server.clientFor(key);
    const { id: collectionId } = await client.collections.create.mutate({ name: 'budget' });
    const first = await client.documents.createMany.mutate({
      collectionId,
      documents: Array.from({ length: 50 }, (_, i) => ({ name: `a${i}`, content: `first ${i}` })),
    });
    expect(first.created).toBe(50);
    const files = Array.from({ length: 20 }, (_, i) => ({ name: `b${i}.txt`, text: `second ${i}` }));
    const { results, summary } = await all(
      importBatch({ url: server.url, apiKey: key, collectionId, files }),
    );
    expect(summary).toEqual({ created: 10, duplicates: 0, refused: 10 });
    const refused = results.filter((result) => result.status === 'refused');
    expect(refused.map((result) => result.index)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(refused[0]).toMatchObject({
      error: { code: 'RATE_LIMITED', details: { rateLimitClass: 'documents' } },
    });
    expect(
      Number((refused[0]?.status === 'refused' && refused[0].error.details?.retryAfter) || 0),
    ).toBeGreaterThan(0);
    // The importer's helper reports a refusal of the whole request as a typed error.
    await expect(
      all(
        importBatch({
          url: server.url,
          apiKey: key,
          collectionId: '00000000-0000-4000-8000-000000000000',
          files,
        }),
      ),
    ).rejects.toBeInstanceOf(ImportError);
  });
});
