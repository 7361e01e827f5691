import { setTimeout as delay } from 'node:timers/promises';
import { MessageChannel } from 'node:worker_threads';
import { chunk, chunkForEmbedding, MAX_SEGMENT_CHARS, normalizeConfig } from '@chunkflow/chunkers';
import { afterAll, describe, expect, it } from 'vitest';
import { storedChunks } from '../src/chunking/chunk-table.ts';
import {
  receiveChunkTables,
  sendChunkTables,
  TABLE_ROWS,
  TABLES_IN_FLIGHT,
} from '../src/chunking/chunk-table-stream.ts';
import { WorkerPoolExecutor } from '../src/chunking/pool-executor.ts';
import { collect } from './support/collect.ts';

/** Longer than two of the engine's segments, so chunks come from several of them. */
const sentence = 'The ferryman counted the bridges aloud, and the river carried the boat on. ';
const longText = sentence.repeat(Math.ceil((2.5 * MAX_SEGMENT_CHARS) / sentence.length));
const dense = normalizeConfig({ strategy: 'fixed', chunkSize: 400, chunkOverlap: 300 });

const executor = new WorkerPoolExecutor({ offloadThresholdChars: 0, maxThreads: 1 });
afterAll(() => executor.close());

describe('chunk tables streamed from the chunking thread', () => {
  it('stores exactly the chunks of the whole document, in bounded tables from several segments', async () => {
    const tables = await collect(executor.tables(longText, dense, { title: 'The ferry' }));
    const expected = await chunkForEmbedding(longText, dense, { title: 'The ferry' });
    expect(tables.length).toBeGreaterThan(2);
    expect(Math.max(...tables.map((table) => table.startOffsets.length))).toBeLessThanOrEqual(TABLE_ROWS);
    const rows = await collect(storedChunks(longText, tables));
    expect(rows.length).toBe(expected.length);
    rows.forEach((row, index) => {
      const piece = expected[index];
      expect(row).toEqual({
        chunkIndex: piece?.index,
        startOffset: piece?.startOffset,
        endOffset: piece?.endOffset,
        charCount: piece?.charCount,
        tokenCount: piece?.tokenCount,
        content: piece?.content,
        embedHeader: piece?.embedText.slice(0, piece.embedText.length - piece.content.length),
        embedTokenCount: piece?.embedTokenCount,
        metadata: piece?.metadata,
      });
    });
  });

  it('sends no more tables than the writer took plus the ones allowed in flight', async () => {
    const { port1, port2 } = new MessageChannel();
    let sent = 0;
    port1.on('message', (message: object) => {
      if ('table' in message) sent += 1;
    });
    const sending = sendChunkTables(longText, dense, port2);
    const tables = receiveChunkTables(port1, sending)[Symbol.asyncIterator]();
    await tables.next();
    // Time enough for an unbounded sender to send every table of the document.
    await delay(300);
    expect(sent).toBeLessThanOrEqual(1 + TABLES_IN_FLIGHT);
    await tables.return(undefined);
    // Told to stop, the sender ends without sending the rest.
    await sending;
    expect(sent).toBeLessThanOrEqual(2 + TABLES_IN_FLIGHT);
  });

  it('ends with the thread refusal when the config is over its output budget', async () => {
    const amplifying = normalizeConfig({ strategy: 'fixed', chunkSize: 1000, chunkOverlap: 999 });
    await expect(collect(executor.tables(longText, amplifying))).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
    });
  });

  it('stops the thread when the writer stops reading, and the next document is chunked whole', async () => {
    for await (const table of executor.tables(longText, dense)) {
      expect(table.firstIndex).toBe(0);
      break;
    }
    const short = 'One short document. '.repeat(50);
    const tables = await collect(executor.tables(short, dense));
    expect((await collect(storedChunks(short, tables))).length).toBe(chunk(short, dense).length);
  });

  it('frees the thread of tables never read once their signal is aborted', async () => {
    const done = new AbortController();
    executor.tables(longText, dense, { signal: done.signal });
    done.abort();
    // One thread: the next document waits for it, so it must not be held by the unread tables.
    const short = 'Another short document. '.repeat(40);
    const tables = await collect(executor.tables(short, dense));
    expect((await collect(storedChunks(short, tables))).length).toBe(chunk(short, dense).length);
  });
});
