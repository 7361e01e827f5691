// Prisma CLI configuration (generate; and migrate/studio where the schema engine is available).
// A plain object typed structurally: importing `prisma/config` here would need the CLI installed
// at the root, and only packages/db depends on Prisma.
const databaseUrl = process.env.DATABASE_URL;

export default {
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  // Only set when present: `prisma generate` needs no database and must work without one.
  ...(databaseUrl ? { datasource: { url: databaseUrl } } : {}),
};
