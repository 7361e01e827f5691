import { openDatabase } from '@chunkflow/db';
import { createTestDatabase, type TestDatabase } from '@chunkflow/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Backends, openBackends, settingsFrom } from '../src/index.ts';
import { silentLogger } from './support/embedded.ts';

describe('DATABASE_REPLICA_URLS', () => {
  it('is a comma-separated list, empty when unset', () => {
    const parse = (env: Record<string, string>) => settingsFrom(env).storage.databaseReplicaUrls;
    expect(parse({})).toEqual([]);
    expect(parse({ DATABASE_REPLICA_URLS: ' postgresql://a/db , postgresql://b/db,,' })).toEqual([
      'postgresql://a/db',
      'postgresql://b/db',
    ]);
  });

  describe('opened from the environment', () => {
    let primary: TestDatabase;
    let replica: TestDatabase;
    let backends: Backends;
    let tenantId: string;

    beforeAll(async () => {
      primary = await createTestDatabase();
      const seeding = await openDatabase({ url: primary.url });
      await seeding.migrate();
      tenantId = (await seeding.tenants.ensureTenant('acme')).id;
      await seeding.collections.create(tenantId, { name: 'before' });
      await seeding.close();
      // A copy that has not caught up with later writes tells replica reads from primary reads.
      replica = await createTestDatabase({ template: primary.name });
      const settings = settingsFrom({ DATABASE_URL: primary.url, DATABASE_REPLICA_URLS: replica.url });
      backends = await openBackends(settings, silentLogger);
    });

    afterAll(async () => {
      await backends?.close();
      await replica?.drop();
      await primary?.drop();
    });

    it('serves listings from the replica and the rest from the primary', async () => {
      const { collections } = backends.database;
      const written = await collections.create(tenantId, { name: 'after' });
      expect(await collections.get(tenantId, written.id)).toEqual(written);
      const listed = await collections.list(tenantId, { limit: 10 });
      expect(listed.items.map((collection) => collection.name)).toEqual(['before']);
    });
  });
});
