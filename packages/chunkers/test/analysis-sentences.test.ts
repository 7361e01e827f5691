import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sentenceStarts } from '../src/analysis/sentence-starts.ts';

const wholeText = (text: string) =>
  [...new Intl.Segmenter(undefined, { granularity: 'sentence' }).segment(text)]
    .map((s) => s.index)
    .filter((i) => i > 0);

const sentences = [
  'First one. ',
  'Второе предложение! ',
  'Τρίτη πρόταση; ',
  '第四句。',
  'Mr. Smith left.\n',
  '\n',
  '"Quoted?" she asked. ',
  'no end',
];

describe('sentenceStarts', () => {
  it('finds exactly the boundaries of segmenting the whole text at once', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...sentences), { maxLength: 3000 }), (parts) => {
        const text = parts.join('');
        expect(Array.from(sentenceStarts(text))).toEqual(wholeText(text));
      }),
      { numRuns: 40 },
    );
  });

  it('agrees across many windows', () => {
    const text = Array.from({ length: 6000 }, (_, i) => sentences[(i * 7) % sentences.length]).join('');
    expect(text.length).toBeGreaterThan(5 * 8192);
    expect(Array.from(sentenceStarts(text))).toEqual(wholeText(text));
  });

  it('handles a single line longer than a window, and empty text', () => {
    const longLine = 'A sentence without line feeds. '.repeat(1000);
    expect(Array.from(sentenceStarts(longLine))).toEqual(wholeText(longLine));
    expect(sentenceStarts('')).toHaveLength(0);
  });
});
