import { ApplicationError, runWithCorrelation } from '@chunkflow/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, hashApiKey } from '../src/index.ts';
import { type EmbeddedServices, openEmbeddedServices } from './support/embedded.ts';

let embedded: EmbeddedServices;

beforeAll(async () => {
  embedded = await openEmbeddedServices({
    previews: { ...DEFAULT_SETTINGS.previews, maxDocumentChars: 1000 },
  });
});
afterAll(async () => {
  await embedded?.close();
});

describe('AuthService', () => {
  it('creates the first key of tenant default once, and only when none is configured', async () => {
    const { auth } = embedded.services;
    const first = await auth.ensureBootstrapKey(undefined);
    expect(first.createdKey).toMatch(/^cf_/);
    expect(await auth.ensureBootstrapKey(undefined)).toEqual({});
    const tenant = await auth.authenticate(first.createdKey);
    expect(tenant.id).toMatch(/.+/);
  });

  it('registers a configured key by its hash and rejects unknown or revoked keys', async () => {
    const { auth } = embedded.services;
    await auth.ensureBootstrapKey('configured-secret');
    const tenant = await auth.authenticate('configured-secret');
    await expect(auth.authenticate('other-secret')).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(auth.authenticate(undefined)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(
      await embedded.database.tenants.findTenantByKeyHash(hashApiKey('configured-secret')),
    ).not.toBeNull();
    await embedded.database.tenants.revokeApiKey(tenant.id, tenant.apiKeyId);
    await expect(auth.authenticate('configured-secret')).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});

describe('ChunkingService', () => {
  it('raises DOCUMENT_TOO_LARGE with code, correlation id and context (the seed validation)', async () => {
    const tenant = await embedded.services.auth.authenticate(
      await embedded.services.auth.createApiKey('big-docs', 'test'),
    );
    const error = await runWithCorrelation('seed-be003', () =>
      embedded.services.chunking
        .preview(tenant, { content: 'x'.repeat(1001), strategy: 'fixed' })
        .catch((caught: unknown) => caught),
    );
    expect(error).toBeInstanceOf(ApplicationError);
    expect(error).toMatchObject({
      code: 'DOCUMENT_TOO_LARGE',
      httpStatus: 413,
      correlationId: 'seed-be003',
      details: { sizeBytes: 1001, limitBytes: 1000 },
    });
  });

  it('returns every chunk count but at most maxChunks chunks, and marks repeats as cached', async () => {
    const tenant = await embedded.services.auth.authenticate(
      await embedded.services.auth.createApiKey('previews', 'test'),
    );
    const content = 'word '.repeat(100);
    const input = {
      content,
      strategy: 'fixed_size',
      config: { chunkSize: 50, chunkOverlap: 0 },
      maxChunks: 3,
    };
    const first = await embedded.services.chunking.preview(tenant, input);
    expect(first).toMatchObject({ strategy: 'fixed', totalChunks: 10, cached: false });
    expect(first.chunks).toHaveLength(3);
    expect(first.expiresAt.getTime()).toBeGreaterThan(Date.now());
    const second = await embedded.services.chunking.preview(tenant, input);
    expect(second).toMatchObject({ previewId: first.previewId, cached: true, totalChunks: 10 });
  });

  it('answers NOT_FOUND for a document of another tenant', async () => {
    const tenant = await embedded.services.auth.authenticate(
      await embedded.services.auth.createApiKey('lonely', 'test'),
    );
    await expect(
      embedded.services.chunking.preview(tenant, { documentId: crypto.randomUUID(), strategy: 'fixed' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('StatisticsService invalidation', () => {
  it('drops cached figures when a document or the collection is deleted', async () => {
    const { services } = embedded;
    const tenant = await services.auth.authenticate(
      await services.auth.createApiKey('stats-deletes', 'test'),
    );
    const { id: collectionId } = await services.collections.create(tenant, { name: 'shrinking' });
    const first = await services.documents.create(tenant, collectionId, { name: 'a.txt', content: 'one' });
    await services.documents.create(tenant, collectionId, { name: 'b.txt', content: 'two' });
    expect(await services.statistics.forCollection(tenant, collectionId)).toMatchObject({
      totalDocuments: 2,
    });

    await services.documents.delete(tenant, first.id);
    expect(await services.statistics.forCollection(tenant, collectionId)).toMatchObject({
      totalDocuments: 1,
    });

    await services.collections.delete(tenant, collectionId);
    await expect(services.statistics.forCollection(tenant, collectionId)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('ChunkingService deadlines', () => {
  it('computes a preview afresh for a request that joined one its own request abandoned', async () => {
    const { services } = embedded;
    const tenant = await services.auth.authenticate(await services.auth.createApiKey('abandoning', 'test'));
    const input = { content: 'Joined work. Abandoned by its first caller.', strategy: 'sentence' };
    const joinedBefore = services.previewCache.stats().joined;
    const leaving = new AbortController();
    const first = services.chunking.preview(tenant, input, leaving.signal);
    const second = services.chunking.preview(tenant, input);
    leaving.abort();
    await expect(first).rejects.toMatchObject({ name: 'AbortError' });
    await expect(second).resolves.toMatchObject({ totalChunks: 1, cached: false });
    expect(services.previewCache.stats().joined).toBe(joinedBefore + 1);
  });
});
