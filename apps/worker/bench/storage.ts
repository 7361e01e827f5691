/**
 * What a stored chunk costs in PostgreSQL, and how fast a collection is re-chunked (opt-in:
 * `pnpm bench`; docs/scaling.md, "Chunk storage"). A real corpus (the chunkers' benchmark corpus,
 * one document per source file) is applied through the services' own write path, `recursive`
 * 400/80 chars, into a scratch database:
 * 1. bytes per stored chunk: the chunks table with its TOAST and indexes, per column, beside the
 *    documents' own text (how many times the corpus is stored);
 * 2. rows/s of the first apply and of a re-chunk (delete + insert of every row), in this process;
 * 3. what PostgreSQL alone takes to insert those rows (the primary's ceiling), and a cached
 *    preview's size;
 * 4. two alternatives: the same rows without `content` (offsets into the document instead), their
 *    size, whether a PostgreSQL `substr` of the document gives back the exact content, and what
 *    reading text that way costs; and the rows with `content` compressed in place (lz4).
 * Results: bench-results/storage.json.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import {
  type AuthenticatedTenant,
  createServerServices,
  openBackends,
  type Services,
  settingsFrom,
} from '@chunkflow/core-services';
import { benchEnvironment, writeBenchJson } from '@chunkflow/vitest-config/environment';
import pino from 'pino';
import { buildCorpus } from '../../../packages/chunkers/bench/corpus.ts';

const CORPUS_BYTES = Number(process.env.BENCH_STORAGE_BYTES ?? 8_000_000);
const CHOICE = { strategy: 'recursive', config: { chunkSize: 400, chunkOverlap: 80 } } as const;
const READ_ROUNDS = 3;
const PREVIEW_DOCUMENT_CHARS = 20_000;
const logger = pino({ level: 'warn' });

const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const databaseName = `chunkflow_storage_${randomBytes(4).toString('hex')}`;
const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${databaseName}` }).toString();

/** Runs statements through psql, each in its own transaction; returns the unaligned, tuples-only output. */
function sql(url: string, ...statements: string[]): string {
  const commands = statements.flatMap((statement) => ['-c', statement]);
  return execFileSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qAt', '-F', '\t', ...commands], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

const numbers = (statement: string) => sql(databaseUrl, statement).split('\t').map(Number);

/** A page of 100 of a collection's chunks, as the API lists them (the bench has one collection). */
const pageOf100 = (collectionId: string) =>
  `WHERE c.collection_id = '${collectionId}' ORDER BY c.document_id, c.chunk_index LIMIT 100 OFFSET 5000`;

/** Median execution time of a statement as PostgreSQL reports it (EXPLAIN ANALYZE), over rounds. */
function executionMs(query: string, rounds = READ_ROUNDS): number {
  const samples: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const plan = JSON.parse(sql(databaseUrl, `EXPLAIN (ANALYZE, FORMAT JSON) ${query}`)) as {
      'Execution Time': number;
    }[];
    samples.push(plan[0]?.['Execution Time'] ?? Number.NaN);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] ?? Number.NaN;
}

/** One document per source file of the corpus (each made distinct: a collection holds a content once). */
function corpusDocuments(): { name: string; content: string }[] {
  const corpus = buildCorpus(CORPUS_BYTES);
  let from = 0;
  return corpus.parts.map((part, index) => {
    const content = corpus.text.slice(from, from + part.chars);
    from += part.chars + 2;
    return { name: `${index}/${part.file}`, content: `${content}\n\n(copy ${index})\n` };
  });
}

async function applyAndWait(services: Services, tenant: AuthenticatedTenant, collectionId: string) {
  const { operationId } = await services.operations.apply(tenant, { collectionId, ...CHOICE });
  for (;;) {
    const operation = await services.operations.get(tenant, operationId);
    if (operation.status === 'completed') {
      const seconds = Number(operation.processingMs) / 1000;
      return { chunks: operation.chunksCreated, seconds, rowsPerSecond: operation.chunksCreated / seconds };
    }
    if (operation.status !== 'pending' && operation.status !== 'processing') {
      throw new Error(`operation ${operation.status}`);
    }
    await delay(100);
  }
}

/** A relation and, when it is partitioned, its partitions (a partitioned table or index has no bytes of its own). */
const withPartitions = (relation: string) =>
  `(SELECT ${relation}::regclass AS relid UNION SELECT relid FROM pg_partition_tree(${relation}))`;

/** The chunks table's bytes (its partitions' when partitioned): heap, TOAST, indexes, and per row, per column. */
function chunkTableBytes(table: string) {
  const [total, heap, toast, indexes, rows] = numbers(
    `SELECT sum(pg_total_relation_size(c.oid)), sum(pg_relation_size(c.oid)),
       sum(coalesce(pg_total_relation_size(nullif(c.reltoastrelid, 0)), 0)), sum(pg_indexes_size(c.oid)),
       (SELECT count(*) FROM ${table})
     FROM ${withPartitions(`'${table}'`)} AS t JOIN pg_class c ON c.oid = t.relid`,
  );
  return {
    rows,
    totalBytes: total,
    heapBytes: heap,
    toastBytes: toast,
    indexBytes: indexes,
    bytesPerRow: (total ?? 0) / (rows || 1),
  };
}

function columnBytes() {
  const [row, content, contentText, header, metadata] = numbers(
    `SELECT avg(pg_column_size(c.*)), avg(pg_column_size(content)), avg(octet_length(content)),
       avg(pg_column_size(embed_header)), avg(pg_column_size(metadata)) FROM chunks c`,
  );
  const indexes = sql(
    databaseUrl,
    `SELECT indexrelid::regclass, (SELECT sum(pg_relation_size(relid)) FROM ${withPartitions('indexrelid')} AS t)
     FROM pg_index WHERE indrelid = 'chunks'::regclass ORDER BY 1`,
  )
    .split('\n')
    .map((line) => {
      const [name, bytes] = line.split('\t');
      return { name, bytes: Number(bytes) };
    });
  return {
    avgRowBytes: row,
    avgContentBytes: content,
    avgContentUtf8Bytes: contentText,
    avgEmbedHeaderBytes: header,
    avgMetadataBytes: metadata,
    indexes,
  };
}

/** The same rows without their text, as a table of offsets into the documents would hold them. */
function sliceAlternative(collectionId: string) {
  sql(
    databaseUrl,
    `CREATE TABLE chunks_slice AS SELECT id, document_id, set_id, collection_id, operation_id, chunk_index,
       start_offset, end_offset, char_count, token_count, embed_header, embed_token_count, metadata, created_at
       FROM chunks;
     ALTER TABLE chunks_slice ADD PRIMARY KEY (id);
     CREATE UNIQUE INDEX ON chunks_slice (set_id, chunk_index);
     CREATE INDEX ON chunks_slice (document_id);
     CREATE INDEX ON chunks_slice (collection_id, document_id, chunk_index, char_count);
     CREATE INDEX ON chunks_slice (operation_id);
     CREATE TABLE documents_external (id uuid PRIMARY KEY, content text);
     ALTER TABLE documents_external ALTER COLUMN content SET STORAGE EXTERNAL;
     INSERT INTO documents_external SELECT id, content FROM documents`,
    'VACUUM ANALYZE chunks_slice',
    'VACUUM ANALYZE documents_external',
  );
  // PostgreSQL counts characters (code points); chunk offsets are JS string (UTF-16) indices.
  const [mismatches, astralDocuments] = numbers(
    `SELECT (SELECT count(*) FROM chunks c JOIN documents d ON d.id = c.document_id
        WHERE substr(d.content, c.start_offset + 1, c.end_offset - c.start_offset) <> c.content),
       (SELECT count(*) FROM documents WHERE content ~ '[\\U00010000-\\U0010FFFF]')`,
  );
  const page = pageOf100(collectionId);
  const all = (text: string, from: string) => `SELECT sum(length(${text})) FROM ${from}`;
  const sliced = 'substr(d.content, c.start_offset + 1, c.end_offset - c.start_offset)';
  const read = {
    pageOf100StoredMs: executionMs(`SELECT c.content FROM chunks c ${page}`),
    pageOf100SlicedMs: executionMs(
      `SELECT ${sliced} FROM chunks_slice c JOIN documents d ON d.id = c.document_id ${page}`,
    ),
    pageOf100SlicedExternalMs: executionMs(
      `SELECT ${sliced} FROM chunks_slice c JOIN documents_external d ON d.id = c.document_id ${page}`,
    ),
    allStoredMs: executionMs(all('c.content', 'chunks c')),
    allSlicedExternalMs: executionMs(
      all(sliced, 'chunks_slice c JOIN documents_external d ON d.id = c.document_id'),
    ),
  };
  return { table: chunkTableBytes('chunks_slice'), substrMismatches: mismatches, astralDocuments, read };
}

/**
 * Creates a table like chunks (defaults, indexes) partitioned as chunks is, when it is: its
 * partitions `<table>_<n>` have the same bounds and take `storage` (a partitioned table has no
 * storage parameters of its own).
 */
function createLikeChunks(table: string, storage = '') {
  const like = `CREATE TABLE ${table} (LIKE chunks INCLUDING DEFAULTS INCLUDING INDEXES)`;
  const partitionKey = sql(databaseUrl, `SELECT pg_get_partkeydef('chunks'::regclass)`);
  if (partitionKey === '') {
    sql(databaseUrl, `${like} ${storage}`);
    return;
  }
  const bounds = sql(
    databaseUrl,
    `SELECT pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = 'chunks'::regclass ORDER BY c.relname`,
  ).split('\n');
  sql(
    databaseUrl,
    `${like} PARTITION BY ${partitionKey}`,
    ...bounds.map(
      (bound, index) => `CREATE TABLE ${table}_${index} PARTITION OF ${table} ${bound} ${storage}`,
    ),
  );
}

/**
 * What PostgreSQL alone takes to insert the stored rows again (one INSERT … SELECT into a table
 * like chunks, with its indexes and partitions): the ceiling of the primary's chunk writes on this
 * machine.
 */
function insertCeiling() {
  createLikeChunks('chunks_copy');
  const [rows] = numbers('SELECT count(*) FROM chunks');
  const milliseconds = executionMs('INSERT INTO chunks_copy SELECT * FROM chunks', 1);
  return { rows, milliseconds, rowsPerSecond: ((rows ?? 0) * 1000) / milliseconds };
}

/** The size of a cached preview: a ~20 KB document, `recursive` 256/32 tokens (as the serving benchmark). */
async function previewBytes(services: Services, tenant: AuthenticatedTenant, text: string) {
  const content = text.slice(0, PREVIEW_DOCUMENT_CHARS);
  const preview = await services.chunking.preview(tenant, {
    content,
    strategy: 'recursive',
    config: { chunkSize: 256, chunkOverlap: 32, sizeUnit: 'tokens' },
  });
  return { documentChars: content.length, jsonBytes: Buffer.byteLength(JSON.stringify(preview)) };
}

/**
 * The same rows with `content` compressed in the row (lz4, STORAGE MAIN, a low toast_tuple_target
 * so rows this small are compressed at all): what compression alone saves, and costs to read.
 */
function compressedAlternative(collectionId: string) {
  createLikeChunks('chunks_lz4', 'WITH (toast_tuple_target = 128)');
  sql(
    databaseUrl,
    `ALTER TABLE chunks_lz4 ALTER COLUMN content SET STORAGE MAIN, ALTER COLUMN content SET COMPRESSION lz4;
     INSERT INTO chunks_lz4 SELECT * FROM chunks`,
    'VACUUM ANALYZE chunks_lz4',
  );
  const page = pageOf100(collectionId);
  return {
    table: chunkTableBytes('chunks_lz4'),
    read: {
      pageOf100Ms: executionMs(`SELECT c.content FROM chunks_lz4 c ${page}`),
      allMs: executionMs('SELECT sum(length(c.content)) FROM chunks_lz4 c'),
    },
  };
}

const started = benchEnvironment();
sql(adminUrl, `CREATE DATABASE "${databaseName}"`);
const settings = settingsFrom({ DATABASE_URL: databaseUrl, CHUNKFLOW_DATA_DIR: '/tmp' });
// No Redis: this process runs the operations itself, through the same processor a worker runs.
const backends = await openBackends(settings, logger, []);
try {
  await backends.database.migrate();
  const services = createServerServices({ ...backends, settings, logger });
  const consumer = backends.jobs.process(services.operationProcessor, { concurrency: 1 });
  const tenant = await services.auth.authenticate(await services.auth.createApiKey('storage-bench', 'bench'));
  const collection = await services.collections.create(tenant, { name: 'storage' });
  const documents = corpusDocuments();
  for (const document of documents) await services.documents.create(tenant, collection.id, document);

  const firstApply = await applyAndWait(services, tenant, collection.id);
  sql(databaseUrl, 'VACUUM ANALYZE chunks', 'VACUUM ANALYZE documents');
  const [corpusBytes, documentTableBytes] = numbers(
    `SELECT sum(octet_length(content)), pg_total_relation_size('documents') FROM documents`,
  );
  const chunks = chunkTableBytes('chunks');
  const columns = columnBytes();
  const rechunk = await applyAndWait(services, tenant, collection.id);
  const afterRechunk = chunkTableBytes('chunks');
  sql(databaseUrl, 'VACUUM ANALYZE chunks');
  const afterVacuum = chunkTableBytes('chunks');
  const slice = sliceAlternative(collection.id);
  const compressed = compressedAlternative(collection.id);
  const insert = insertCeiling();
  const preview = await previewBytes(services, tenant, documents.map(({ content }) => content).join('\n\n'));
  await consumer.close();

  const results = {
    corpus: { documents: documents.length, utf8Bytes: corpusBytes, documentTableBytes },
    choice: CHOICE,
    chunks,
    columns,
    chunkTableOverCorpus: (chunks.totalBytes ?? 0) / (corpusBytes || 1),
    firstApply,
    rechunk,
    afterRechunk,
    afterVacuum,
    slice,
    compressed,
    insert,
    preview,
  };
  console.log(JSON.stringify(results, null, 2));
  writeBenchJson(join(import.meta.dirname, '../bench-results/storage.json'), started, results);
} finally {
  await backends.close();
  sql(adminUrl, `DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
}
