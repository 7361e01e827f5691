import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/index.ts';

const dataDir = await mkdtemp(join(tmpdir(), 'chunkflow-pglite-'));
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe('embedded PGlite', () => {
  it('migrates, and keeps its data across a close and reopen', async () => {
    const first = await openDatabase({ dataDir });
    expect(first.kind).toBe('pglite');
    expect((await first.migrate()).applied.length).toBeGreaterThan(0);
    const tenant = await first.tenants.ensureTenant('default');
    const collection = await first.collections.create(tenant.id, { name: 'kept' });
    await first.close();

    const second = await openDatabase({ dataDir });
    try {
      expect(await second.migrate()).toEqual({ applied: [] });
      expect(await second.collections.get(tenant.id, collection.id)).toEqual(collection);
      expect((await second.ping()).ok).toBe(true);
    } finally {
      await second.close();
    }
  });

  it('refuses to open, naming the data directory, when PGlite cannot start on it', async () => {
    const broken = join(dataDir, 'broken');
    await mkdir(broken);
    await writeFile(join(broken, 'PG_VERSION'), '99\n');
    await expect(openDatabase({ dataDir: broken })).rejects.toThrow(
      `The embedded database could not start on ${broken}`,
    );
  });

  it('lets a timer fire between the statements of a burst of queries', async () => {
    const db = await openDatabase({ dataDir });
    try {
      await db.migrate();
      const events: string[] = [];
      const burst = Array.from({ length: 20 }, (_, i) => db.ping().then(() => events.push(`query ${i}`)));
      const timer = new Promise<void>((resolve) =>
        setTimeout(() => {
          events.push('timer');
          resolve();
        }, 0),
      );
      await Promise.all([...burst, timer]);
      expect(events).toHaveLength(21);
      // Without interleaving, the whole burst resolves in microtasks before the timer.
      expect(events.indexOf('timer')).toBeLessThan(events.length - 1);
    } finally {
      await db.close();
    }
  });
});
