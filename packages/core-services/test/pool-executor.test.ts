import { setImmediate } from 'node:timers/promises';
import { chunkForEmbedding, computeMetrics, MAX_OUTPUT_FACTOR, normalizeConfig } from '@chunkflow/chunkers';
import { ApplicationError } from '@chunkflow/errors';
import { afterAll, describe, expect, it } from 'vitest';
import { type ChunkTable, rowsOf } from '../src/chunking/chunk-table.ts';
import { InlineExecutor } from '../src/chunking/executor.ts';
import { WorkerPoolExecutor } from '../src/chunking/pool-executor.ts';
import { collect } from './support/collect.ts';

const executor = new WorkerPoolExecutor({ offloadThresholdChars: 10_000, maxThreads: 2 });
afterAll(() => executor.close());

const text = Array.from({ length: 400 }, (_, i) => `Sentence number ${i} talks about chunking. `).join('');

describe('WorkerPoolExecutor', () => {
  it('gives exactly the inline chunks and metrics for large inputs, computed on a worker thread', async () => {
    const config = normalizeConfig({
      strategy: 'recursive',
      chunkSize: 64,
      chunkOverlap: 0,
      sizeUnit: 'tokens',
    });
    const pooled = await executor.run(text, config);
    expect(executor.stats.completed).toBe(1);
    const inline = await chunkForEmbedding(text, config);
    expect(pooled).toEqual({
      chunks: inline,
      metrics: computeMetrics(text, inline),
      // …and the chunks' JSON, written on the thread for the cache.
      chunksJson: new TextEncoder().encode(JSON.stringify(inline)),
    });
  });

  it('heads the chunks with the title and converted headings it is given, on the thread as inline', async () => {
    const config = normalizeConfig({
      strategy: 'recursive',
      chunkSize: 64,
      chunkOverlap: 0,
      sizeUnit: 'tokens',
    });
    const half = text.indexOf('Sentence number 200');
    const context = {
      title: 'Notes',
      outline: [
        { level: 1, text: 'Chunking', offset: 0 },
        { level: 2, text: 'Second half', offset: half },
      ],
    };
    const pooled = await executor.run(text, config, context);
    expect(pooled.chunks).toEqual(await chunkForEmbedding(text, config, context));
    const headers = pooled.chunks.map((chunk) => chunk.embedText.slice(0, -chunk.content.length));
    expect(headers[0]).toBe('Notes\nChunking\n\n');
    expect(headers.at(-1)).toBe('Notes\nChunking > Second half\n\n');
    const tables = await collect(executor.tables(text, config, context));
    const stored = tables.flatMap((table) =>
      table.embedHeaderLines.split('\n').map((line) => JSON.parse(line)),
    );
    expect(stored).toEqual(headers);
  });

  it("rejects with the engine's typed error when a worker thread refuses the config", async () => {
    const config = normalizeConfig({ strategy: 'fixed', chunkSize: 1000, chunkOverlap: 999 });
    const refusal = executor.run(text, config);
    await expect(refusal).rejects.toBeInstanceOf(ApplicationError);
    await expect(refusal).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
      details: { field: 'chunkOverlap', limit: MAX_OUTPUT_FACTOR },
    });
  });

  it('keeps small inputs on the calling thread', async () => {
    const before = executor.stats.completed;
    const small = await executor.run('A short text. Two sentences.', normalizeConfig({ strategy: 'fixed' }));
    expect(small.chunks).toHaveLength(1);
    expect(small.metrics.chunkCount).toBe(1);
    expect(executor.stats.completed).toBe(before);
  });

  it('keeps the event loop responsive while a large input is chunked', async () => {
    const large = text.repeat(60);
    const config = normalizeConfig({
      strategy: 'recursive',
      chunkSize: 256,
      chunkOverlap: 32,
      sizeUnit: 'tokens',
    });
    let settled = false;
    const running = executor.run(large, config).finally(() => {
      settled = true;
    });
    // Event-loop turns taken while the chunks are computed: on the calling thread the engine
    // would hold the loop until it finished, and the run would be settled after a turn or two.
    let turns = 0;
    while (!settled) {
      await setImmediate();
      turns += 1;
    }
    await running;
    expect(turns).toBeGreaterThan(10);
  });

  it('decides by estimated work, not input length: a small input that amplifies, or a costly strategy, goes to the pool', async () => {
    const small = text.slice(0, 5_000);
    const cases = [
      normalizeConfig({ strategy: 'fixed', chunkSize: 1000, chunkOverlap: 900 }), // 10x the input
      normalizeConfig({ strategy: 'markdown' }),
      normalizeConfig({ strategy: 'fixed', sizeUnit: 'tokens' }),
    ];
    for (const config of cases) {
      const before = executor.stats.completed;
      await executor.run(small, config);
      expect(executor.stats.completed, config.strategy).toBe(before + 1);
    }
    // The same small input cut without overlap stays inline.
    const before = executor.stats.completed;
    await executor.run(small, normalizeConfig({ strategy: 'fixed', chunkSize: 1000, chunkOverlap: 0 }));
    expect(executor.stats.completed).toBe(before);
  });

  it('analyses content on the pool, and stored chunk tables always', async () => {
    const before = executor.stats.completed;
    const recommendation = await executor.recommend({ content: 'const x = 1;\n'.repeat(50) });
    expect(recommendation.strategy).toEqual(expect.any(String));
    const config = normalizeConfig({ strategy: 'fixed', chunkSize: 100, chunkOverlap: 0 });
    const tables = await collect(executor.tables('tiny text', config));
    expect(tables.map((table) => Array.from(table.endOffsets))).toEqual([[9]]);
    expect(executor.stats.completed).toBe(before + 2);
  });

  it("makes several documents' tables in one task, each exactly the table its document streams alone", async () => {
    const config = normalizeConfig({ strategy: 'recursive', chunkSize: 200, chunkOverlap: 20 });
    const documents = [
      { text, title: 'Notes' },
      { text: 'tiny text', title: 'Tiny' },
      { text: text.slice(0, 3_000), outline: [{ level: 1, text: 'Part', offset: 0 }] },
    ];
    const before = executor.stats.completed;
    const batched = await executor.tablesOfMany(documents, config);
    expect(executor.stats.completed).toBe(before + 1);
    const rowsOfTables = (tables: readonly ChunkTable[], content: string) =>
      tables.flatMap((table) => [...rowsOf(content, table)]);
    expect(batched).toHaveLength(documents.length);
    for (const [index, { text: content, ...context }] of documents.entries()) {
      const alone = await collect(executor.tables(content, config, context));
      expect(rowsOfTables([batched[index] as ChunkTable], content)).toEqual(rowsOfTables(alone, content));
    }
    expect(await new InlineExecutor().tablesOfMany(documents, config)).toEqual(batched);
  });

  it("fails a batch's task with the engine's typed refusal", async () => {
    const config = normalizeConfig({ strategy: 'fixed', chunkSize: 1000, chunkOverlap: 999 });
    await expect(executor.tablesOfMany([{ text }], config)).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });

  it('abandons a task whose signal fires, rejecting with the signal reason', async () => {
    const config = normalizeConfig({
      strategy: 'recursive',
      chunkSize: 64,
      chunkOverlap: 0,
      sizeUnit: 'tokens',
    });
    const reason = new Error('budget spent');
    const controller = new AbortController();
    const running = executor.run(text.repeat(200), config, { signal: controller.signal });
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
  });

  it("starts a resident pool's threads with it, ready once each has loaded the default tokenizer", async () => {
    const resident = new WorkerPoolExecutor({ offloadThresholdChars: 0, maxThreads: 2, resident: true });
    try {
      await resident.ready();
      expect(resident.stats).toMatchObject({ threads: 2, completed: 0 });
      const config = normalizeConfig({ strategy: 'recursive', chunkSize: 64, chunkOverlap: 0 });
      const tables = await collect(resident.tables(text, config));
      const rows = tables.flatMap((table) => [...rowsOf(text, table)]);
      expect(rows.map((row) => row.content)).toEqual(
        (await chunkForEmbedding(text, config)).map((c) => c.content),
      );
    } finally {
      await resident.close();
    }
  });

  it('abandons running tasks on close as a transient failure, for another attempt to redo', async () => {
    const closing = new WorkerPoolExecutor({ offloadThresholdChars: 0, maxThreads: 1 });
    const config = normalizeConfig({
      strategy: 'recursive',
      chunkSize: 64,
      chunkOverlap: 0,
      sizeUnit: 'tokens',
    });
    // The expectation is attached before close(), which rejects the task while it runs.
    const abandoned = expect(collect(closing.tables(text.repeat(200), config))).rejects.toMatchObject({
      code: 'DEPENDENCY_UNAVAILABLE',
    });
    await closing.close();
    await abandoned;
  });
});
