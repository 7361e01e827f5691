import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/index.ts';
import { type BackendKind, backendKinds, openBackend } from './support/backends.ts';
import { chunksOfSizes, readAll } from './support/chunks.ts';

/** The Unix time in milliseconds a version 7 UUID starts with. */
const millisecondsOf = (id: string) => Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);
/** The version nibble and the variant's two bits. */
const kindOf = (id: string) => ({
  version: id[14],
  variant: (Number.parseInt(id[19] as string, 16) >> 2) & 0b11,
});

describe.each(backendKinds)('ids of documents, chunk sets and chunks on %s', (kind: BackendKind) => {
  let db: Database;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    ({ db, dispose } = await openBackend(kind));
  });
  afterAll(() => dispose?.());

  it('are version 7 UUIDs carrying the time they were created', async () => {
    const tenant = await db.tenants.ensureTenant('ids');
    const collection = await db.collections.create(tenant.id, { name: 'ordered' });
    const before = Date.now();
    const document = await db.documents.create(tenant.id, collection.id, {
      name: 'a.txt',
      contentType: 'text/plain',
      content: 'aaaa',
    });
    await db.chunks.replaceDocumentChunks(document.id, chunksOfSizes([2, 2]));
    const after = Date.now();
    const chunks = await readAll((cursor) =>
      db.chunks.list(tenant.id, { collectionId: collection.id }, { cursor, limit: 10 }),
    );
    expect(chunks).toHaveLength(2);
    for (const id of [document.id, ...chunks.map((chunk) => chunk.id)]) {
      expect({ id, ...kindOf(id) }).toEqual({ id, version: '7', variant: 0b10 });
      // The database's clock and this process's are the same machine's.
      expect(millisecondsOf(id)).toBeGreaterThanOrEqual(before - 1);
      expect(millisecondsOf(id)).toBeLessThanOrEqual(after + 1);
    }
  });

  it('sort in creation order across milliseconds', async () => {
    const tenant = await db.tenants.ensureTenant('ids');
    const collection = await db.collections.create(tenant.id, { name: 'sequence' });
    const ids: string[] = [];
    for (let index = 0; index < 5; index += 1) {
      const created = await db.documents.create(tenant.id, collection.id, {
        name: `${index}.txt`,
        contentType: 'text/plain',
        content: `document ${index}`,
      });
      ids.push(created.id);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect([...ids].sort()).toEqual(ids);
  });
});
