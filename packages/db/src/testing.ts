import { randomBytes } from 'node:crypto';
import pg from 'pg';

const defaultAdminUrl = 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  /** Database name, e.g. to copy it with `createTestDatabase({ template })`. */
  name: string;
  /** Connection string of the new, empty database. */
  url: string;
  /** Drops the database, disconnecting whoever is still connected. */
  drop(): Promise<void>;
}

async function asAdmin(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Creates a uniquely named database on the machine's PostgreSQL (TEST_DATABASE_URL, or the local
 * default) so test runs never share state. With `template`, it starts as a copy of that database
 * (which must have no open connections), e.g. a stand-in for a read replica's snapshot.
 */
export async function createTestDatabase(options: { template?: string } = {}): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL ?? defaultAdminUrl;
  const name = `chunkflow_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const template = options.template === undefined ? '' : ` TEMPLATE "${options.template}"`;
  await asAdmin(adminUrl, `CREATE DATABASE "${name}"${template}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => asAdmin(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}
