import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '@chunkflow/db/testing';
import { Redis } from 'ioredis';
import { TEMPLATE_VARIABLE } from './embedded-template.ts';

export type BackendMode = 'embedded' | 'services';

export const backendModes: BackendMode[] = ['embedded', 'services'];

export interface TestBackend {
  environment: Record<string, string | undefined>;
  cleanup(): Promise<void>;
}

const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Environment for one server under test: embedded (PGlite in a temp dir, in-process cache) or the
 * machine's PostgreSQL and Redis, each run in its own database and key prefix, removed afterwards.
 */
export async function provisionBackend(mode: BackendMode): Promise<TestBackend> {
  const dataDir = await mkdtemp(join(tmpdir(), 'chunkflow-test-'));
  if (mode === 'embedded') {
    // The embedded server finds a migrated database where it keeps one (`<data dir>/pgdata`).
    const template = process.env[TEMPLATE_VARIABLE];
    if (template) await cp(template, join(dataDir, 'pgdata'), { recursive: true });
    return {
      environment: { CHUNKFLOW_DATA_DIR: dataDir, DATABASE_URL: undefined, REDIS_URL: undefined },
      cleanup: () => rm(dataDir, { recursive: true, force: true }),
    };
  }
  const database = await createTestDatabase();
  const keyPrefix = `chunkflow-test-${randomBytes(6).toString('hex')}`;
  return {
    environment: {
      CHUNKFLOW_DATA_DIR: dataDir,
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      CHUNKFLOW_KEY_PREFIX: keyPrefix,
    },
    async cleanup() {
      await deleteRedisKeys(keyPrefix);
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function deleteRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL);
  try {
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 500 })) {
      if ((keys as string[]).length > 0) await redis.unlink(...(keys as string[]));
    }
  } finally {
    redis.disconnect();
  }
}
