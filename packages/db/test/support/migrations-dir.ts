import { fileURLToPath } from 'node:url';

export const repositoryMigrationsDir = fileURLToPath(
  new URL('../../../../prisma/migrations', import.meta.url),
);
export const schemaPath = fileURLToPath(new URL('../../../../prisma/schema.prisma', import.meta.url));

export { copyOfMigrations } from '../../src/testing.ts';
