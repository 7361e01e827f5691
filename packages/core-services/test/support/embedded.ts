import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, openDatabase } from '@chunkflow/db';
import { MemoryCache } from '@chunkflow/redis-manager';
import pino from 'pino';
import { createServices, type Services } from '../../src/index.ts';

export const silentLogger = pino({ level: 'silent' });

export interface EmbeddedServices {
  database: Database;
  services: Services;
  close(): Promise<void>;
}

/** The real service graph on an embedded PostgreSQL in a temp dir and the in-process cache. */
export async function openEmbeddedServices(limits?: Parameters<typeof createServices>[0]['limits']) {
  const dataDir = await mkdtemp(join(tmpdir(), 'chunkflow-services-'));
  const database = await openDatabase({ dataDir });
  await database.migrate();
  const services = createServices({
    database,
    cache: new MemoryCache({ maxEntries: 100 }),
    logger: silentLogger,
    ...(limits ? { limits } : {}),
  });
  return {
    database,
    services,
    async close() {
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  } satisfies EmbeddedServices;
}
