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

type Dependencies = Parameters<typeof createServices>[0];

/**
 * The real service graph on an embedded PostgreSQL in a temp dir and the in-process cache;
 * `more` adds or replaces dependencies (executors, job queue, limits…).
 */
export async function openEmbeddedServices(
  limits?: Dependencies['limits'],
  more: Partial<Omit<Dependencies, 'database' | 'cache' | 'logger'>> = {},
) {
  const dataDir = await mkdtemp(join(tmpdir(), 'chunkflow-services-'));
  const database = await openDatabase({ dataDir });
  await database.migrate();
  const services = createServices({
    database,
    cache: new MemoryCache({ maxEntries: 100 }),
    logger: silentLogger,
    ...(limits ? { limits } : {}),
    ...more,
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
