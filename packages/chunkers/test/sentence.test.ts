import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunk } from '../src/index.ts';
import { sentenceStarts, startsSentence } from '../src/strategies/sentence.ts';
import { checkStrategyInvariants, checkStrategyInvariantsAcrossSegments } from './support/invariants.ts';

describe('sentence', () => {
  it('finds sentence boundaries in any script', () => {
    const text = 'Hello there. Γειά σου κόσμε. Привет, мир! 你好世界。这是第二句。';
    const starts = [...sentenceStarts(text)].map((at) => text.slice(at, at + 2));
    expect(starts).toEqual(['Γε', 'Пр', '你好', '这是']);
  });

  it('packs whole sentences and overlaps whole sentences', () => {
    const text = 'One two three. Four five six. Seven eight nine. Ten eleven twelve.';
    const chunks = chunk(text, { strategy: 'sentence', chunkSize: 35, chunkOverlap: 16 });
    expect(chunks.map((c) => c.content)).toEqual([
      'One two three. Four five six.',
      'Four five six. Seven eight nine.',
      'Ten eleven twelve.',
    ]);
  });

  it('cuts a sentence longer than the size at spaces', () => {
    const text = 'word '.repeat(30).trim();
    const chunks = chunk(text, { strategy: 'sentence', chunkSize: 20, chunkOverlap: 0 });
    // As many whole words as fit in 20 characters (four), each cut at the space after a word.
    expect(chunks.map((c) => c.content)).toEqual([...Array(7).fill('word word word word'), 'word word']);
    expect(chunks.map((c) => text[c.endOffset] ?? 'end')).toEqual([...Array(7).fill(' '), 'end']);
  });

  it('holds every invariant (property)', () => {
    checkStrategyInvariants('sentence');
  });

  it('holds every invariant across a segment boundary (property)', () => {
    checkStrategyInvariantsAcrossSegments('sentence');
  });
});

/** Sentence starts from one Intl.Segmenter pass over the whole text: what the windows must give. */
function wholeTextStarts(text: string): number[] {
  return [...new Intl.Segmenter(undefined, { granularity: 'sentence' }).segment(text)]
    .map(({ index }) => index)
    .filter((index) => index > 0);
}

describe('sentenceStarts', () => {
  it('agrees with one Intl.Segmenter pass over the whole text, across windows', () => {
    const paragraph = 'Short one. Another sentence here! A question? Yes.\nНовая строка. 第二句。';
    const text = [
      paragraph.repeat(40),
      'x'.repeat(9000),
      ' End of a long line. Next.',
      paragraph.repeat(30),
    ].join('\n');
    const whole = wholeTextStarts(text);
    expect([...sentenceStarts(text)]).toEqual(whole);
  });

  it('keeps every boundary of a line longer than a window, where windows are cut mid-line', () => {
    const text = Array.from({ length: 400 }, (_, i) => `Sentence ${i} ends here, e.g. (a) or b. `).join('');
    const whole = wholeTextStarts(text);
    expect(whole.length).toBe(399);
    expect([...sentenceStarts(text)]).toEqual(whole);
  });
});

describe('sentenceStarts, a window cut mid-line holding one boundary', () => {
  it.each([
    ['after a blank line', `\n\n${'w'.repeat(2_500)}`],
    ['one full stop in a long line', `${'a'.repeat(1_200)}. B${'c'.repeat(3_000)}`],
    [
      'one full stop after a long sentence start',
      `Start ${'x '.repeat(900)}end. ${'Y'.repeat(5_000)} and more.`,
    ],
  ])('keeps it: %s', (_case, text) => {
    const whole = wholeTextStarts(text);
    expect(whole.length).toBeGreaterThan(0);
    expect([...sentenceStarts(text)]).toEqual(whole);
  });

  // The window doubles until it holds a second boundary or the line's end: geometric growth, so the
  // segmenting stays linear in the line (a 10 MB line: a fraction of a second; the timeout holds it).
  it('keeps it in a 10 MB line with no other, the window grown to the whole line', () => {
    const text = `A. B${'x'.repeat(10 * 1024 * 1024)}`;
    expect([...sentenceStarts(text)]).toEqual([3]);
  }, 30_000);
});

describe('startsSentence', () => {
  const fragments = [
    'Hello there. ',
    'e.g. the next ',
    'etc. and more',
    'Mr. Smith said ',
    '“Quoted.” ',
    '(a) or b. ',
    'Is it? ',
    'Yes! ',
    'word',
    ' ',
    '\n',
    '\r\n',
    '\n\n',
    '\r',
    '\u2028',
    '\u0085',
    '你好世界。',
    'Привет, мир! ',
    '...',
    '1.5 ',
    'Within a long line. '.repeat(30),
    'w'.repeat(1700),
    'x'.repeat(2500),
  ];

  it('says of every offset what sentenceStarts says, long lines and line separators included (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...fragments), { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        const starts = new Set(sentenceStarts(text));
        for (let offset = 0; offset <= text.length; offset++) {
          expect(startsSentence(text, offset), `offset ${offset}`).toBe(starts.has(offset));
        }
      }),
      { numRuns: 300 },
    );
  });
});
