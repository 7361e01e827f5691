import {
  ConflictError,
  DependencyUnavailableError,
  ExceptionTranslator,
  runWithCorrelation,
} from '@chunkflow/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, type DbLogger, openDatabase, recognizePrismaError } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing.ts';

const translator = new ExceptionTranslator([recognizePrismaError]);
const warnings: Record<string, unknown>[] = [];
const logger: DbLogger = { info() {}, warn: (details) => warnings.push(details), error() {} };

let testDb: TestDatabase;
let db: Database;

beforeAll(async () => {
  testDb = await createTestDatabase();
  // Every statement counts as slow, so the log path runs on each one.
  db = await openDatabase({ url: testDb.url, logger, slowQueryMs: 0 });
  await db.migrate();
});
afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

describe('query monitoring', () => {
  it('reports each statement to observers and logs slow ones with the correlation id', async () => {
    const seen: { sql: string; correlationId: string | undefined }[] = [];
    const stop = db.observeQueries((event) => seen.push(event));
    await runWithCorrelation('corr-monitor', () => db.tenants.ensureTenant('monitored'));
    stop();
    await db.tenants.ensureTenant('unobserved');

    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((event) => event.correlationId === 'corr-monitor')).toBe(true);
    expect(seen.some((event) => event.sql.includes('"tenants"'))).toBe(true);
    expect(warnings).toContainEqual(expect.objectContaining({ correlationId: 'corr-monitor' }));
  });
});

describe('recognizePrismaError', () => {
  it('turns a unique violation into a ConflictError keeping the cause', async () => {
    const tenant = await db.tenants.ensureTenant('keys');
    await db.tenants.addApiKey(tenant.id, 'same-hash');
    const error = await db.tenants.addApiKey(tenant.id, 'same-hash').catch((caught: unknown) => caught);

    const translated = translator.translate(error);
    expect(translated).toBeInstanceOf(ConflictError);
    expect(translated.cause).toBe(error);
  });

  it('turns an unreachable database into DependencyUnavailableError', async () => {
    const unreachable = await openDatabase({ url: 'postgresql://postgres@127.0.0.1:1/none' });
    try {
      expect((await unreachable.ping()).ok).toBe(false);
      const error = await unreachable.collections
        .list('00000000-0000-4000-8000-000000000000', { limit: 1 })
        .catch((caught: unknown) => caught);
      expect(translator.translate(error)).toBeInstanceOf(DependencyUnavailableError);
    } finally {
      await unreachable.close();
    }
  });

  it('turns a database whose Unix socket is gone (its process died) into DependencyUnavailableError', async () => {
    const gone = await openDatabase({
      url: 'postgresql://postgres@localhost/none?host=/nonexistent-socket-dir',
    });
    try {
      const error = await gone.collections
        .list('00000000-0000-4000-8000-000000000000', { limit: 1 })
        .catch((caught: unknown) => caught);
      expect(translator.translate(error)).toBeInstanceOf(DependencyUnavailableError);
    } finally {
      await gone.close();
    }
  });

  it('passes on errors it does not know', () => {
    expect(recognizePrismaError(new Error('something else'))).toBeUndefined();
  });
});
