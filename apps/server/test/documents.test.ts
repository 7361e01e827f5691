import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { DEFAULT_SETTINGS } from '@chunkflow/core-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamUndeclaredBody } from './support/raw-http.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const MIB = 1024 * 1024;
/** Body bytes in socket buffers and the server's read-ahead when it answers (about 5 MiB on loopback). */
const IN_FLIGHT_BYTES = 32 * MIB;

/** A body streamed in 64 KiB pieces, as a client uploading a file would send it. */
function streamOf(totalBytes: number, piece: Uint8Array): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= totalBytes) return controller.close();
      const next = piece.subarray(0, Math.min(piece.length, totalBytes - sent));
      sent += next.length;
      controller.enqueue(next);
    },
  });
}

describe('documents (PostgreSQL, Redis)', () => {
  let server: TestServer;
  let collectionId: string;
  const uploadUrl = () => `${server.url}/api/v2/collections/${collectionId}/documents/upload`;

  beforeAll(async () => {
    server = await startTestServer('services');
    collectionId = (await server.client.collections.create.mutate({ name: 'uploads' })).id;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('streams a large raw upload into one stored document', async () => {
    const piece = new TextEncoder().encode('chunkflow streams large documents é\n'.repeat(2000));
    // Whole pieces, so the two-byte é is never cut: the body is valid UTF-8.
    const size = piece.length * Math.ceil((24 * MIB) / piece.length);
    const response = await fetch(`${uploadUrl()}?name=big.txt`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'text/plain; charset=utf-8' },
      body: streamOf(size, piece),
      duplex: 'half',
    } as RequestInit);
    const body = (await response.json()) as {
      id: string;
      sizeBytes: number;
      contentHash: string;
      contentType: string;
    };
    const expected = Buffer.concat(Array.from({ length: size / piece.length }, () => piece));
    expect(response.status).toBe(201);
    expect(body).toMatchObject({ sizeBytes: size, contentType: 'text/plain' });
    expect(body.contentHash).toBe(createHash('sha256').update(expected.toString('utf8')).digest('hex'));
  });

  it('refuses a body that is not UTF-8 text', async () => {
    const response = await fetch(`${uploadUrl()}?name=binary.bin`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/octet-stream' },
      body: new Uint8Array([0x61, 0xff, 0xfe, 0x62]),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_ERROR');
  });

  it('refuses a declared oversize body with 413 before reading it', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const outgoing = request(`${uploadUrl()}?name=huge.txt`, {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${server.apiKey}`,
          'content-type': 'text/plain',
          'content-length': String(500 * MIB),
        },
      });
      outgoing.on('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      outgoing.on('error', reject);
      outgoing.write('only the first bytes of a body that never comes');
    });
    expect(status).toBe(413);
  });

  it('refuses an undeclared body with 413 as soon as it crosses the limit', async () => {
    const limit = DEFAULT_SETTINGS.uploads.maxBytes;
    // A raw socket reads the answer whatever the server does with the rest of the body.
    const path = `/api/v2/collections/${collectionId}/documents/upload?name=endless.txt`;
    const { answer, statusLine, sentBytes, sentBeforeAnswer } = await streamUndeclaredBody(
      server.url,
      path,
      server.apiKey,
      20 * limit,
    );
    expect(statusLine).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toContain('"code":"DOCUMENT_TOO_LARGE"');
    // Answered once the body crossed the limit (socket buffers aside), not after reading on.
    expect(sentBeforeAnswer).toBeGreaterThan(limit);
    expect(sentBeforeAnswer).toBeLessThan(limit + IN_FLIGHT_BYTES);
    // The rest is dropped for a while, then the connection cut: never read to the end.
    expect(sentBytes).toBeLessThan(4 * limit);
    const listed = await server.client.documents.list.query({ collectionId, limit: 100 });
    expect(listed.items.map((document) => document.name)).not.toContain('endless.txt');
  });

  it('creates, detects duplicates, lists, reads and deletes documents by tenant', async () => {
    const content = 'A small document.\n\nWith two paragraphs.';
    const created = await server.client.documents.create.mutate({
      collectionId,
      name: 'small.md',
      content,
      contentType: 'text/markdown',
    });
    const duplicate = await server.client.documents.create
      .mutate({ collectionId, name: 'again.md', content })
      .catch((error: { data?: { code?: string; details?: { existingDocumentId?: string } } }) => error.data);
    expect(duplicate).toMatchObject({ code: 'CONFLICT', details: { existingDocumentId: created.id } });
    const read = await server.client.documents.get.query({ id: created.id });
    expect(read).toMatchObject({ content, name: 'small.md', charCount: content.length });

    const otherKey = await server.app.services.auth.createApiKey('another-tenant', 'test');
    const hidden = await server
      .clientFor(otherKey)
      .documents.get.query({ id: created.id })
      .catch((error: { data?: { code?: string } }) => error.data?.code);
    expect(hidden).toBe('NOT_FOUND');

    const rest = await fetch(`${server.url}/api/v2/documents/${created.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${server.apiKey}` },
    });
    expect(await rest.json()).toEqual({ id: created.id, deleted: true });
    const gone = await server.client.documents.get
      .query({ id: created.id })
      .catch((error: { data?: { code?: string } }) => error.data?.code);
    expect(gone).toBe('NOT_FOUND');
  });

  it('lists, renames and deletes collections', async () => {
    const made = await server.client.collections.create.mutate({ name: 'temporary' });
    const renamed = await server.client.collections.update.mutate({ id: made.id, name: 'renamed' });
    expect(renamed.name).toBe('renamed');
    const page = await server.client.collections.list.query({ limit: 1 });
    expect(page.items).toHaveLength(1);
    expect(page.nextCursor).not.toBeNull();
    await server.client.collections.delete.mutate({ id: made.id });
    const gone = await server.client.collections.get
      .query({ id: made.id })
      .catch((error: { data?: { code?: string } }) => error.data?.code);
    expect(gone).toBe('NOT_FOUND');
  });
});
