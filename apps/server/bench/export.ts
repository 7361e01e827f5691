// How fast does a collection's export stream, and does the server's memory stay flat? Seeds a
// collection of BENCH_EXPORT_CHUNKS chunks (default 1,000,000: 1,000 documents × 1,000 chunks of
// ~300 characters) in PostgreSQL — the documents through the repositories, their chunks in bulk
// (seedSyntheticChunks: a million rows through the chunk writer take many minutes on a shared
// machine) — starts a server process on it and reads the whole export twice:
// raw bytes (the server's pace) and through @chunkflow/client's exportChunks (every line parsed).
// Reports lines/s and the server's resident memory (VmRSS sampled, VmHWM = its peak) before and
// during the export. The floor, in the same run: PostgreSQL itself writing the same rows, in the
// same order, as JSON lines (`COPY (SELECT json_build_object(…)) TO STDOUT`, read through
// pg-copy-streams), which is what any export of these rows over this database costs at least.
// `pnpm --filter @chunkflow/server run bench:export` (a script, not a vitest suite: it starts
// processes; part of `pnpm bench` at BENCH_EXPORT_CHUNKS, default 1,000,000); writes
// bench-results/export.json with the environment it ran in.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { exportChunks } from '@chunkflow/client';
import { openDatabase } from '@chunkflow/db';
import { copyExportLines, createTestDatabase, seedSyntheticChunks } from '@chunkflow/db/testing';
import { benchEnvironment, writeBenchJson } from '@chunkflow/vitest-config/environment';
import { spawnApp } from '../test/support/processes.ts';
import { memoryOf, sampleResidentMemory } from './resident-memory.ts';

const TOTAL_CHUNKS = Number(process.env.BENCH_EXPORT_CHUNKS ?? 1_000_000);
const CHUNKS_PER_DOCUMENT = 1_000;
const sentence = 'Retrieval finds what the chunks let it find, so every cut and header counts. ';
const content = sentence.repeat(4);

/**
 * Runs `read` while sampling the server's resident memory every 100 ms: the largest sample, and the
 * largest in the read's first and last fifth of time (flat memory: the last is no higher than the
 * first, however many lines lie between them).
 */
async function measured(pid: number, read: () => Promise<number>) {
  const started = performance.now();
  const memory = sampleResidentMemory(pid);
  try {
    const lines = await read();
    const elapsedMs = performance.now() - started;
    return {
      lines,
      seconds: elapsedMs / 1000,
      linesPerSecond: Math.round(lines / (elapsedMs / 1000)),
      ...memory.stop(),
    };
  } finally {
    memory.stop();
  }
}

const started = benchEnvironment();
const database = await createTestDatabase();
const apiKey = `bench-${randomBytes(16).toString('hex')}`;
const server = spawnApp('server', {
  DATABASE_URL: database.url,
  REDIS_URL: undefined,
  PORT: '0',
  HOST: '127.0.0.1',
  BOOTSTRAP_API_KEY: apiKey,
  RATE_LIMIT_READS: '0',
});
const db = await openDatabase({ url: database.url });
try {
  const url = String((await server.waitForLog((line) => line.msg === 'chunkflow server listening')).url);
  const pid = server.process.pid as number;
  const tenant = await db.tenants.ensureTenant('default');
  const { id: collectionId } = await db.collections.create(tenant.id, { name: 'export bench' });
  const seeding = performance.now();
  for (let documentIndex = 0; documentIndex * CHUNKS_PER_DOCUMENT < TOTAL_CHUNKS; documentIndex++) {
    await db.documents.create(tenant.id, collectionId, {
      name: `document-${documentIndex}.md`,
      contentType: 'text/markdown',
      content: `${documentIndex} ${content}`,
      metadata: { source: 'bench', index: documentIndex },
    });
  }
  await seedSyntheticChunks(database.url, collectionId, { perDocument: CHUNKS_PER_DOCUMENT, content });
  const seededSeconds = (performance.now() - seeding) / 1000;
  const before = await memoryOf(pid);
  const floor = await measured(pid, () => copyExportLines(database.url, collectionId));

  const raw = await measured(pid, async () => {
    const response = await fetch(`${url}/api/v2/collections/${collectionId}/export`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    if (!response.ok || response.body === null) throw new Error(`export answered ${response.status}`);
    let lines = 0;
    for await (const bytes of response.body) {
      for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) lines++;
    }
    return lines;
  });
  const afterRaw = await memoryOf(pid);
  const parsed = await measured(pid, async () => {
    let lines = 0;
    for await (const _line of exportChunks({ url, apiKey, collectionId })) lines++;
    return lines;
  });
  const after = await memoryOf(pid);

  console.table([
    { read: 'floor: PostgreSQL COPY of the same lines', ...floor },
    { read: 'raw bytes', ...raw, serverPeakRssMb: Math.round(afterRaw.peakMb) },
    { read: 'exportChunks (parsed)', ...parsed, serverPeakRssMb: Math.round(after.peakMb) },
  ]);
  if ([floor, raw, parsed].some((run) => run.lines !== TOTAL_CHUNKS)) throw new Error('export lost lines');
  writeBenchJson(join(import.meta.dirname, '../bench-results/export.json'), started, {
    chunks: TOTAL_CHUNKS,
    seededSeconds: Math.round(seededSeconds),
    serverRssBeforeMb: Math.round(before.rssMb),
    serverPeakBeforeMb: Math.round(before.peakMb),
    floor,
    raw,
    parsed,
    serverPeakAfterRawMb: Math.round(afterRaw.peakMb),
    serverPeakAfterMb: Math.round(after.peakMb),
  });
} finally {
  await db.close();
  await server.kill();
  await database.drop();
}
