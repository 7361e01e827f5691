import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockStarts, type ChunkRange, piecesInBlocks, segmentsOf } from '../src/segments.ts';

const documentWithChunks = fc.integer({ min: 0, max: 200 }).chain((textLength) =>
  fc.tuple(
    fc.constant(textLength),
    fc.array(
      fc
        .tuple(fc.integer({ min: 0, max: textLength }), fc.integer({ min: 0, max: textLength }))
        .map(([a, b]): ChunkRange => ({ startOffset: Math.min(a, b), endOffset: Math.max(a, b) })),
      { maxLength: 30 },
    ),
  ),
);

describe('segmentsOf', () => {
  it('tiles the document and marks every position with exactly the chunks that contain it', () => {
    fc.assert(
      fc.property(documentWithChunks, ([textLength, chunks]) => {
        const segments = segmentsOf(textLength, chunks);
        let position = 0;
        for (const segment of segments) {
          expect(segment.start).toBe(position);
          expect(segment.end).toBeGreaterThan(segment.start);
          position = segment.end;
          const containing = chunks
            .map((chunk, index) => ({ chunk, index }))
            .filter(({ chunk }) => chunk.startOffset <= segment.start && segment.end <= chunk.endOffset)
            .filter(({ chunk }) => chunk.endOffset > chunk.startOffset)
            .map(({ index }) => index);
          expect(segment.chunks).toEqual(containing);
        }
        expect(position).toBe(textLength);
      }),
    );
  });

  it('gives back each chunk as the union of the segments that carry it', () => {
    fc.assert(
      fc.property(documentWithChunks, ([textLength, chunks]) => {
        const segments = segmentsOf(textLength, chunks);
        chunks.forEach((chunk, index) => {
          const carrying = segments.filter((segment) => segment.chunks.includes(index));
          if (chunk.endOffset === chunk.startOffset) {
            expect(carrying).toEqual([]);
            return;
          }
          expect(carrying[0]?.start).toBe(chunk.startOffset);
          expect(carrying.at(-1)?.end).toBe(chunk.endOffset);
          for (let i = 1; i < carrying.length; i++) expect(carrying[i]?.start).toBe(carrying[i - 1]?.end);
        });
      }),
    );
  });

  it('keeps uncovered text as segments without chunks', () => {
    expect(segmentsOf(10, [{ startOffset: 2, endOffset: 5 }])).toEqual([
      { start: 0, end: 2, chunks: [] },
      { start: 2, end: 5, chunks: [0] },
      { start: 5, end: 10, chunks: [] },
    ]);
  });
});

describe('blockStarts and piecesInBlocks', () => {
  const textWithLines = fc
    .array(fc.constantFrom('a', 'b', ' ', '\n'), { maxLength: 300 })
    .map((c) => c.join(''));

  /** Where a block that began at `previous` may end: just after a line break, once it is full. */
  const mayStartAfter = (text: string, size: number, previous: number, position: number) =>
    position - previous >= size && text[position - 1] === '\n' && position < text.length;

  it('starts blocks just after line breaks, once a block is full', () => {
    fc.assert(
      fc.property(textWithLines, fc.integer({ min: 1, max: 50 }), (text, size) => {
        const starts = blockStarts(text, size);
        let previous = 0;
        for (const start of starts) {
          expect(mayStartAfter(text, size, previous, start)).toBe(true);
          previous = start;
        }
      }),
    );
  });

  it('starts a block at the first line break after every full block, so none grows past it', () => {
    fc.assert(
      fc.property(textWithLines, fc.integer({ min: 1, max: 50 }), (text, size) => {
        const starts = blockStarts(text, size);
        [0, ...starts].forEach((previous, block) => {
          const end = starts[block] ?? text.length;
          for (let position = previous + 1; position < end; position++) {
            expect(mayStartAfter(text, size, previous, position), `a block should start at ${position}`).toBe(
              false,
            );
          }
        });
      }),
    );
  });

  it('cuts segments at block starts without losing or reordering text or chunks', () => {
    fc.assert(
      fc.property(
        textWithLines,
        fc.integer({ min: 1, max: 50 }),
        documentWithChunks,
        (text, size, [, raw]) => {
          const chunks = raw.map((chunk) => ({
            startOffset: Math.min(chunk.startOffset, text.length),
            endOffset: Math.min(chunk.endOffset, text.length),
          }));
          const starts = blockStarts(text, size);
          const segments = segmentsOf(text.length, chunks);
          const pieces = piecesInBlocks(segments, starts);
          expect(pieces.map((piece) => text.slice(piece.start, piece.end)).join('')).toBe(text);
          for (const piece of pieces) {
            const segment = segments.find(
              (candidate) => candidate.start <= piece.start && piece.end <= candidate.end,
            );
            expect(segment?.chunks).toEqual(piece.chunks);
            const block = starts.filter((start) => start <= piece.start).length;
            expect(piece.block).toBe(block);
            expect(starts.some((start) => piece.start < start && start < piece.end)).toBe(false);
          }
        },
      ),
    );
  });
});
