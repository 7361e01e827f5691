// Global setup: one embedded database, migrated, that each embedded test server starts from as a
// copy. Creating PGlite's files is most of an embedded start (seconds, far more on a loaded
// machine); a copy of a closed, migrated data directory starts the same server in a fraction.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@chunkflow/db';

/**
 * Where the copy comes from, in the environment the test processes inherit (the hostile suite and
 * the benchmarks use the same support code outside vitest, and start from an empty directory).
 */
export const TEMPLATE_VARIABLE = 'TEST_EMBEDDED_TEMPLATE';

export default async function setup() {
  const root = await mkdtemp(join(tmpdir(), 'chunkflow-template-'));
  const dataDir = join(root, 'pgdata');
  const database = await openDatabase({ dataDir });
  try {
    await database.migrate();
  } finally {
    await database.close();
  }
  process.env[TEMPLATE_VARIABLE] = dataDir;
  return () => rm(root, { recursive: true, force: true });
}
