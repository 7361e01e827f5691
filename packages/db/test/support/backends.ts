import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, openDatabase } from '../../src/index.ts';
import { createTestDatabase } from '../../src/testing.ts';

export type BackendKind = Database['kind'];
export const backendKinds: BackendKind[] = ['postgres', 'pglite'];

/** A migrated database of either kind, in its own PostgreSQL database or PGlite directory. */
export async function openBackend(kind: BackendKind): Promise<{ db: Database; dispose(): Promise<void> }> {
  if (kind === 'postgres') {
    const testDb = await createTestDatabase();
    const db = await openDatabase({ url: testDb.url });
    await db.migrate();
    return {
      db,
      async dispose() {
        await db.close();
        await testDb.drop();
      },
    };
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'chunkflow-pglite-'));
  const db = await openDatabase({ dataDir });
  await db.migrate();
  return {
    db,
    async dispose() {
      await db.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
