import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, openDatabase } from '@chunkflow/db';
import { MemoryCache } from '@chunkflow/redis-manager';
import pino from 'pino';
import {
  createServerServices,
  DEFAULT_SETTINGS,
  openOperationBackends,
  type ServiceDependencies,
  type Services,
  type Settings,
} from '../../src/index.ts';

export const silentLogger = pino({ level: 'silent' });

export interface EmbeddedServices {
  database: Database;
  services: Services;
  /** The in-process store the caches write to. */
  cache: MemoryCache;
  close(): Promise<void>;
}

/** The default settings with some of their parts replaced. */
export function settingsWith(parts: Partial<Settings> = {}): Settings {
  return { ...DEFAULT_SETTINGS, ...parts };
}

/**
 * The real service graph on an embedded PostgreSQL in a temp dir, the in-process cache and (unless
 * `more` brings its own) the in-process job queue and progress stream; `settings` replaces parts
 * of the default settings, `more` adds or replaces dependencies (executors, job queue…).
 */
export async function openEmbeddedServices(
  settings: Partial<Settings> = {},
  more: Partial<Omit<ServiceDependencies, 'database' | 'cache' | 'logger' | 'settings'>> = {},
) {
  const dataDir = await mkdtemp(join(tmpdir(), 'chunkflow-services-'));
  const database = await openDatabase({ dataDir });
  await database.migrate();
  const cache = new MemoryCache({ maxEntries: 100 });
  const services = createServerServices({
    database,
    cache,
    logger: silentLogger,
    settings: settingsWith(settings),
    ...openOperationBackends(undefined, silentLogger, DEFAULT_SETTINGS),
    ...more,
  });
  return {
    database,
    services,
    cache,
    async close() {
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  } satisfies EmbeddedServices;
}
