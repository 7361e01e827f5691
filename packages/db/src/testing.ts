import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { defaultMigrationsDir } from './migrations.ts';

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

/** A scratch copy of the committed migrations a test may add to or tamper with. */
export async function copyOfMigrations(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'chunkflow-migrations-'));
  await cp(defaultMigrationsDir, dir, { recursive: true });
  return dir;
}

/**
 * A scratch copy of the committed migrations up to (not including) the one whose name ends with
 * `suffix`: a database migrated with it has the schema before that migration.
 */
export async function migrationsBefore(suffix: string): Promise<string> {
  const dir = await copyOfMigrations();
  const names = (await readdir(dir)).sort();
  const first = names.find((name) => name.endsWith(suffix));
  if (!first) throw new Error(`no migration named *${suffix}`);
  for (const later of names.filter((name) => name >= first && !name.endsWith('.toml'))) {
    await rm(join(dir, later), { recursive: true });
  }
  return dir;
}

export interface SyntheticChunks {
  /** Chunks given to each document of the collection, indexes 0…n-1. */
  perDocument: number;
  /** Every chunk's content (offsets advance by its length). */
  content: string;
  /** For a database on a schema from before chunk sets carried their collection. */
  setsWithoutCollection?: boolean;
}

/**
 * Benchmarks' bulk fill: gives every document of the collection a live chunk set of
 * `perDocument` chunks (content, a header naming the document and a section, heading metadata)
 * and its statistics summary, in a few INSERT … SELECT statements instead of a million writes
 * through the chunk repository.
 */
export async function seedSyntheticChunks(
  url: string,
  collectionId: string,
  chunks: SyntheticChunks,
): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      chunks.setsWithoutCollection
        ? `INSERT INTO chunk_sets (document_id, state) SELECT id, 'live' FROM documents WHERE collection_id = $1`
        : `INSERT INTO chunk_sets (document_id, collection_id, state)
           SELECT id, collection_id, 'live' FROM documents WHERE collection_id = $1`,
      [collectionId],
    );
    await client.query(
      `INSERT INTO chunks (document_id, collection_id, set_id, chunk_index, start_offset, end_offset,
         char_count, token_count, content, embed_header, embed_token_count, metadata)
       SELECT s.document_id, $1, s.id, i, i * $2, (i + 1) * $2, $2, $2 / 4, $3,
         d.name || E'\\nPart > Section ' || (i % 7) || E'\\n\\n', $2 / 4 + 10,
         jsonb_build_object('headings', jsonb_build_array('Part', 'Section ' || (i % 7)))
       FROM chunk_sets s JOIN documents d ON d.id = s.document_id
       CROSS JOIN generate_series(0, $4 - 1) AS i
       WHERE d.collection_id = $1`,
      [collectionId, chunks.content.length, chunks.content, chunks.perDocument],
    );
    await client.query(
      `SELECT summarise_document_chunks(ARRAY(SELECT id FROM documents WHERE collection_id = $1))`,
      [collectionId],
    );
  } finally {
    await client.end();
  }
}

/**
 * The export's floor, for its benchmark: PostgreSQL itself making a collection's export lines (the
 * same fields, documents then chunks in order) and streaming them out by `COPY … TO STDOUT`; the
 * only work left here is counting newlines. Answers the number of lines.
 */
export async function copyExportLines(url: string, collectionId: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // COPY takes no parameters; the id is checked as a UUID by the cast of a quoted literal.
    const id = client.escapeLiteral(collectionId);
    const stream = client.query(
      copyTo(`COPY (
        SELECT json_build_object('documentId', d.id, 'documentName', d.name, 'index', c.chunk_index,
          'content', c.content, 'embedText', c.embed_header || c.content, 'startOffset', c.start_offset,
          'endOffset', c.end_offset, 'charCount', c.char_count, 'tokenCount', c.token_count,
          'embedTokenCount', coalesce(c.embed_token_count, c.token_count), 'metadata', c.metadata,
          'documentMetadata', d.metadata)
        FROM documents d JOIN chunk_sets s ON s.document_id = d.id AND s.state = 'live'
        JOIN chunks c ON c.set_id = s.id
        WHERE d.collection_id = ${id}::uuid
        ORDER BY d.id, c.chunk_index
      ) TO STDOUT`),
    );
    let lines = 0;
    for await (const bytes of stream as AsyncIterable<Buffer>) {
      for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) lines++;
    }
    return lines;
  } finally {
    await client.end();
  }
}

export { copyFloor } from './copy-floor.ts';
