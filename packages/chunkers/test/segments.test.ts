import { describe, expect, it } from 'vitest';
import { chunk, MAX_SEGMENT_CHARS, normalizeConfig, SEGMENT_CHARS } from '../src/index.ts';
import { segmentEnd } from '../src/segments.ts';
import { assertChunkInvariants } from './support/invariants.ts';

const filler = (length: number, unit = 'lorem ipsum ') =>
  unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

describe('segmentEnd', () => {
  it('keeps a document that fits in one segment whole', () => {
    expect(segmentEnd('short text', 0)).toBe(10);
    const text = filler(MAX_SEGMENT_CHARS);
    expect(segmentEnd(text, 0)).toBe(text.length);
  });

  it('cuts at the first paragraph start after SEGMENT_CHARS, outside code fences', () => {
    const head = `${filler(SEGMENT_CHARS - 100)}\n\n\`\`\`\n${filler(200)}\n\n${filler(50)}\n\`\`\`\n`;
    const text = `${head}\nNext paragraph.\n${filler(MAX_SEGMENT_CHARS)}`;
    expect(segmentEnd(text, 0)).toBe(head.length + 1);
  });

  it('falls back to a line, then a space, then the hard limit without splitting a surrogate pair', () => {
    const lines = `${filler(SEGMENT_CHARS + 5)}\nnext line\n${filler(MAX_SEGMENT_CHARS)}`;
    expect(segmentEnd(lines, 0)).toBe(SEGMENT_CHARS + 6);
    const words = filler(2 * MAX_SEGMENT_CHARS, 'abc ');
    expect(segmentEnd(words, 0)).toBe(SEGMENT_CHARS + 4);
    const emoji = '😀'.repeat(MAX_SEGMENT_CHARS);
    const cut = segmentEnd(emoji, 0);
    expect(cut % 2).toBe(0);
    expect(cut).toBeLessThanOrEqual(MAX_SEGMENT_CHARS);
  });
});

describe('chunk() on a document of several segments', () => {
  it('keeps every invariant with global offsets', () => {
    const text = `${filler(SEGMENT_CHARS + 10, 'A sentence of words. ')}\n\n${filler(SEGMENT_CHARS, 'Más palabras aquí. ')}`;
    const input = { strategy: 'recursive', chunkSize: 2000, chunkOverlap: 300 };
    const chunks = chunk(text, input);
    assertChunkInvariants(text, normalizeConfig(input), chunks);
    expect(chunks.some((c) => c.startOffset > MAX_SEGMENT_CHARS)).toBe(true);
  });
});
