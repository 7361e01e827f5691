import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, openDatabase } from '@chunkflow/db';
import { MemoryCache } from '@chunkflow/redis-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthenticatedTenant, StatisticsService } from '../src/index.ts';
import { silentLogger } from './support/embedded.ts';

describe('StatisticsService cache', () => {
  let dataDir: string;
  let database: Database;
  let tenant: AuthenticatedTenant;
  let collectionId: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'chunkflow-statistics-'));
    database = await openDatabase({ dataDir });
    await database.migrate();
    tenant = { id: (await database.tenants.ensureTenant('stats')).id, apiKeyId: 'key' };
    collectionId = (await database.collections.create(tenant.id, { name: 'sized' })).id;
    const document = await database.documents.create(tenant.id, collectionId, {
      name: 'd.txt',
      contentType: 'text/plain',
      content: 'abcdefghij',
    });
    await database.chunks.replaceDocumentChunks(document.id, [
      { chunkIndex: 0, startOffset: 0, endOffset: 4, charCount: 4, tokenCount: 1, content: 'abcd' },
      { chunkIndex: 1, startOffset: 4, endOffset: 10, charCount: 6, tokenCount: 1, content: 'efghij' },
    ]);
  });

  afterAll(async () => {
    await database?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('serves the size distribution and dates from the cache as loaded', async () => {
    const service = new StatisticsService(database, new MemoryCache({ maxEntries: 10 }), silentLogger, 60);
    const loaded = await service.forCollection(tenant, collectionId);
    expect(loaded.sizeDistribution).toEqual([
      { from: 4, to: 4, count: 1 },
      { from: 5, to: 5, count: 0 },
      { from: 6, to: 6, count: 1 },
    ]);
    const cached = await service.forCollection(tenant, collectionId);
    expect(service.stats()).toMatchObject({ hits: 1, misses: 1 });
    expect(cached).toEqual(loaded);
    expect(cached.lastUpdated).toBeInstanceOf(Date);
  });

  it('loads again over an entry stored without the size distribution', async () => {
    const cache = new MemoryCache({ maxEntries: 10 });
    const service = new StatisticsService(database, cache, silentLogger, 60);
    const { sizeDistribution: _dropped, ...older } = await service.forCollection(tenant, collectionId);
    const key = `statistics:${tenant.id}:${collectionId}`;
    expect(await cache.get(key)).toBeDefined();
    await cache.set(key, JSON.stringify({ ...older, totalChunks: 999 }), 60);

    const statistics = await service.forCollection(tenant, collectionId);
    expect(statistics).toMatchObject({ totalChunks: 2, sizeDistribution: expect.any(Array) });
    expect(service.stats()).toMatchObject({ hits: 0, misses: 2 });
    // The fresh load replaced the old entry: the next read is a hit with the distribution.
    expect((await service.forCollection(tenant, collectionId)).sizeDistribution).toHaveLength(3);
    expect(service.stats().hits).toBe(1);
  });
});
