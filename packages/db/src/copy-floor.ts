import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';

const COLUMNS = `"document_id", "collection_id", "set_id", "chunk_index", "start_offset", "end_offset",
  "char_count", "token_count", "content", "embed_header", "embed_token_count", "metadata"`;

/**
 * The least it costs PostgreSQL to take an operation's rows: the collection's stored chunks are
 * read out as COPY text, then timed going back in by COPY FROM STDIN into a copy of the chunks
 * table (same columns, defaults and indexes). Answers rows per second and, given a reading of
 * PostgreSQL's CPU seconds, what it spent on the timed COPY (null without one).
 */
export async function copyFloor(
  databaseUrl: string,
  collectionId: string,
  postgresCpuSeconds: () => number | undefined = () => undefined,
): Promise<{ rows: number; rowsPerSecond: number; postgresCpuSeconds: number | null }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const pieces: Buffer[] = [];
    const out = client.query(
      copyTo(`COPY (SELECT ${COLUMNS} FROM "chunks" WHERE "collection_id" = '${collectionId}') TO STDOUT`),
    );
    for await (const piece of out) pieces.push(piece as Buffer);
    await client.query('CREATE TEMP TABLE "copy_floor" (LIKE "chunks" INCLUDING DEFAULTS INCLUDING INDEXES)');
    const cpuBefore = postgresCpuSeconds();
    const started = performance.now();
    await client.query('BEGIN');
    const into = client.query(copyFrom(`COPY "copy_floor" (${COLUMNS}) FROM STDIN`));
    await pipeline(Readable.from(pieces), into);
    await client.query('COMMIT');
    const seconds = (performance.now() - started) / 1000;
    const cpuAfter = postgresCpuSeconds();
    return {
      rows: into.rowCount,
      rowsPerSecond: into.rowCount / seconds,
      postgresCpuSeconds: cpuBefore === undefined || cpuAfter === undefined ? null : cpuAfter - cpuBefore,
    };
  } finally {
    await client.end();
  }
}
