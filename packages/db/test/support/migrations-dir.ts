import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repositoryMigrationsDir = fileURLToPath(
  new URL('../../../../prisma/migrations', import.meta.url),
);
export const schemaPath = fileURLToPath(new URL('../../../../prisma/schema.prisma', import.meta.url));

/** A scratch copy of the committed migrations a test may add to or tamper with. */
export async function copyOfMigrations(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'chunkflow-migrations-'));
  await cp(repositoryMigrationsDir, dir, { recursive: true });
  return dir;
}
