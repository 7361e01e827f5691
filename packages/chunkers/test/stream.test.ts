import { LeaseTooLargeError, MemoryPool } from '@chunkflow/mempool';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Chunk, chunk, chunkStream, MAX_SEGMENT_CHARS, STREAM_WINDOW_BYTES } from '../src/index.ts';
import { documentArbitrary, segmentBoundaryDocumentArbitrary } from './support/invariants.ts';

async function collect(stream: AsyncIterable<Chunk>): Promise<Chunk[]> {
  const chunks: Chunk[] = [];
  for await (const item of stream) chunks.push(item);
  return chunks;
}

/** Plain data: getters (lazy token counts) evaluated. */
function plain(chunks: Chunk[]): unknown {
  return JSON.parse(JSON.stringify(chunks));
}

/** Cuts `text` into pieces of pseudo-random sizes (surrogate pairs included) from `seed`. */
function* pieces(text: string, seed: number, largest: number): Generator<string> {
  let state = seed;
  for (let at = 0; at < text.length; ) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const size = 1 + (state % largest);
    yield text.slice(at, at + size);
    at += size;
  }
}

const paragraph = [
  '## Section',
  '',
  'Prose with emoji 😀 and CJK 中文字。 Sentences end here. Another one follows!',
  '',
  '```ts',
  'const x = 1;',
  '```',
  '',
  '| a | b |',
  '|---|---|',
  '| 1 | 2 |',
  '',
].join('\n');
/** Long enough for three segments. */
const longDocument = `# Title\n\n${paragraph.repeat(Math.ceil((2.5 * MAX_SEGMENT_CHARS) / paragraph.length))}`;

describe('chunkStream', () => {
  it.each([
    ['recursive', { strategy: 'recursive', chunkSize: 1000, chunkOverlap: 200 }],
    ['markdown', { strategy: 'markdown', chunkSize: 300, chunkOverlap: 50 }],
    ['fixed in tokens', { strategy: 'fixed', sizeUnit: 'tokens', chunkSize: 256, chunkOverlap: 32 }],
  ])('yields exactly what chunk() returns for a multi-segment document (%s)', async (_name, config) => {
    const expected = chunk(longDocument, config);
    const streamed = await collect(chunkStream(pieces(longDocument, 7, 300_000), config));
    expect(expected.at(-1)?.endOffset).toBeGreaterThan(2 * MAX_SEGMENT_CHARS);
    expect(streamed.length).toBe(expected.length);
    expect(plain(streamed)).toEqual(plain(expected));
  });

  it('carries the heading path across segments', async () => {
    const config = { strategy: 'markdown', chunkSize: 300, chunkOverlap: 0 };
    const streamed = await collect(chunkStream([longDocument], config));
    const last = streamed.at(-1);
    expect(last?.startOffset).toBeGreaterThan(2 * MAX_SEGMENT_CHARS);
    expect(last?.metadata.headings).toEqual(['Title', 'Section']);
  });

  it('equals chunk() however the input is cut (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        documentArbitrary,
        fc.integer({ min: 1, max: 50 }),
        fc.constantFrom('fixed', 'recursive', 'markdown', 'sentence', 'hierarchical'),
        async (text, largest, strategy) => {
          const config = { strategy, chunkSize: 40, chunkOverlap: 5 };
          const streamed = await collect(chunkStream(pieces(text, largest, largest), config));
          expect(plain(streamed)).toEqual(plain(chunk(text, config)));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('equals chunk() however a document crossing a segment boundary is cut (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        segmentBoundaryDocumentArbitrary,
        fc.integer({ min: 1, max: 200_000 }),
        fc.nat(),
        fc.constantFrom('fixed', 'recursive', 'markdown', 'sentence', 'hierarchical'),
        async (text, largest, seed, strategy) => {
          const config = { strategy, chunkSize: 500, chunkOverlap: 50 };
          const streamed = await collect(chunkStream(pieces(text, seed, largest), config));
          expect(streamed.at(-1)?.endOffset).toBeGreaterThan(MAX_SEGMENT_CHARS);
          expect(plain(streamed)).toEqual(plain(chunk(text, config)));
        },
      ),
      // Shrinking a megabyte document takes longer than it helps: the failing seed is printed.
      { numRuns: 8, endOnFailure: true },
    );
  });

  it('borrows its window from an injected pool and gives it back', async () => {
    const pool = new MemoryPool({ maxBytes: STREAM_WINDOW_BYTES * 2 });
    const chunks = await collect(
      chunkStream(pieces(longDocument, 3, 100_000), { strategy: 'recursive' }, { pool }),
    );
    expect(chunks.length).toBeGreaterThan(100);
    const stats = pool.stats();
    expect(stats.acquisitions).toBe(1);
    expect(stats.usedBytes).toBe(0);
    expect(stats.peakBytes).toBeGreaterThanOrEqual(STREAM_WINDOW_BYTES);
  });

  it('releases the window when the consumer stops early', async () => {
    const pool = new MemoryPool({ maxBytes: STREAM_WINDOW_BYTES });
    for await (const item of chunkStream([longDocument], { strategy: 'recursive' }, { pool })) {
      expect(item.index).toBe(0);
      break;
    }
    expect(pool.stats().usedBytes).toBe(0);
  });

  it('fails when the pool can never hold a window', async () => {
    const pool = new MemoryPool({ maxBytes: 8192 });
    await expect(collect(chunkStream(['text'], { strategy: 'recursive' }, { pool }))).rejects.toBeInstanceOf(
      LeaseTooLargeError,
    );
  });
});
