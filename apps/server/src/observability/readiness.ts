import type { DependencyProbe } from '@chunkflow/core-services';

interface MigratedDatabase {
  pendingMigrations(): Promise<string[]>;
}

/** Ready only when every committed migration is applied: new code must not serve an old schema. */
export function migrationsProbe(database: MigratedDatabase): DependencyProbe {
  return {
    name: 'migrations',
    async check() {
      const started = performance.now();
      const pending = await database.pendingMigrations();
      if (pending.length > 0) throw new Error(`pending migrations: ${pending.join(', ')}`);
      return { ok: true, latencyMs: performance.now() - started };
    },
  };
}
