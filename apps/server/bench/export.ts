// How fast does a collection's export stream, and does the server's memory stay flat? Seeds a
// collection of BENCH_EXPORT_CHUNKS chunks (default 1,000,000: 1,000 documents × 1,000 chunks of
// ~300 characters) in PostgreSQL, starts a server process on it and reads the whole export twice:
// raw bytes (the server's pace) and through @chunkflow/client's exportChunks (every line parsed).
// Reports lines/s and the server's resident memory (VmRSS sampled, VmHWM = its peak) before and
// during the export. `pnpm --filter @chunkflow/server run bench:export` (a script, not a vitest suite: it starts processes)
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { exportChunks } from '@chunkflow/client';
import { type NewChunk, openDatabase } from '@chunkflow/db';
import { createTestDatabase } from '@chunkflow/db/testing';
import { spawnApp } from '../test/support/processes.ts';

const TOTAL_CHUNKS = Number(process.env.BENCH_EXPORT_CHUNKS ?? 1_000_000);
const CHUNKS_PER_DOCUMENT = 1_000;
const sentence = 'Retrieval finds what the chunks let it find, so every cut and header counts. ';
const content = sentence.repeat(4);

function chunksOf(documentIndex: number): NewChunk[] {
  return Array.from({ length: CHUNKS_PER_DOCUMENT }, (_, index) => ({
    chunkIndex: index,
    startOffset: index * content.length,
    endOffset: (index + 1) * content.length,
    charCount: content.length,
    tokenCount: 64,
    content,
    embedHeader: `Document ${documentIndex}\nPart > Section ${index % 7}\n\n`,
    embedTokenCount: 75,
    metadata: { headings: ['Part', `Section ${index % 7}`] },
  }));
}

async function memoryOf(pid: number): Promise<{ rssMb: number; peakMb: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))?.[1] ?? 0);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/** Runs `read` while sampling the server's resident memory every 100 ms; the largest sample wins. */
async function measured(pid: number, read: () => Promise<number>) {
  let sampledMaxMb = 0;
  const sampler = setInterval(() => {
    void memoryOf(pid).then(({ rssMb }) => {
      sampledMaxMb = Math.max(sampledMaxMb, rssMb);
    });
  }, 100);
  const started = performance.now();
  try {
    const lines = await read();
    const seconds = (performance.now() - started) / 1000;
    return {
      lines,
      seconds,
      linesPerSecond: Math.round(lines / seconds),
      sampledMaxRssMb: Math.round(sampledMaxMb),
    };
  } finally {
    clearInterval(sampler);
  }
}

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
    const document = await db.documents.create(tenant.id, collectionId, {
      name: `document-${documentIndex}.md`,
      contentType: 'text/markdown',
      content: `${documentIndex} ${content}`,
      metadata: { source: 'bench', index: documentIndex },
    });
    await db.chunks.replaceDocumentChunks(document.id, chunksOf(documentIndex));
  }
  const seededSeconds = (performance.now() - seeding) / 1000;
  const before = await memoryOf(pid);

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
    { read: 'raw bytes', ...raw, serverPeakRssMb: Math.round(afterRaw.peakMb) },
    { read: 'exportChunks (parsed)', ...parsed, serverPeakRssMb: Math.round(after.peakMb) },
  ]);
  console.log(
    JSON.stringify({
      chunks: TOTAL_CHUNKS,
      seededSeconds: Math.round(seededSeconds),
      serverRssBeforeMb: Math.round(before.rssMb),
      serverPeakBeforeMb: Math.round(before.peakMb),
      raw,
      parsed,
      serverPeakAfterMb: Math.round(after.peakMb),
    }),
  );
  if (raw.lines !== TOTAL_CHUNKS || parsed.lines !== TOTAL_CHUNKS) throw new Error('export lost lines');
} finally {
  await db.close();
  await server.kill();
  await database.drop();
}
