import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CharSizer, createSizer, TokenSizer } from '../src/index.ts';
import { documentArbitrary, referenceTokenCount } from './support/invariants.ts';

const tokenizers = ['cl100k_base', 'o200k_base'] as const;

function splitsPair(text: string, at: number): boolean {
  const before = text.charCodeAt(at - 1);
  const after = text.charCodeAt(at);
  return (
    at > 0 && at < text.length && before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff
  );
}

/** A document and two offsets in it. */
const spanArbitrary = documentArbitrary
  .filter((text) => text.length > 0)
  .chain((text) =>
    fc
      .tuple(fc.nat(text.length), fc.nat(text.length), fc.constantFrom(...tokenizers))
      .map(([a, b, tokenizer]) => ({ text, start: Math.min(a, b), end: Math.max(a, b), tokenizer })),
  );

describe('TokenSizer', () => {
  it('counts any span between code points exactly like encoding it alone (property)', () => {
    fc.assert(
      fc.property(spanArbitrary, ({ text, start, end, tokenizer }) => {
        fc.pre(!splitsPair(text, start) && !splitsPair(text, end));
        const sizer = createSizer(text, { sizeUnit: 'tokens', tokenizer });
        expect(sizer.tokenCount(start, end)).toBe(referenceTokenCount(text.slice(start, end), tokenizer));
      }),
      { numRuns: 400 },
    );
  });

  it('fits ends and starts within the budget, never splitting a surrogate pair (property)', () => {
    fc.assert(
      fc.property(
        spanArbitrary,
        fc.integer({ min: 4, max: 64 }),
        ({ text, start, end, tokenizer }, budget) => {
          fc.pre(end > start && !splitsPair(text, start) && !splitsPair(text, end));
          const sizer = createSizer(text, { sizeUnit: 'tokens', tokenizer });
          const fitEnd = sizer.fitEnd(start, end, budget);
          expect(fitEnd).toBeGreaterThan(start);
          expect(fitEnd).toBeLessThanOrEqual(end);
          expect(splitsPair(text, fitEnd)).toBe(false);
          expect(referenceTokenCount(text.slice(start, fitEnd), tokenizer)).toBeLessThanOrEqual(budget);
          const fitStart = sizer.fitStart(end, start, budget);
          expect(fitStart).toBeGreaterThanOrEqual(start);
          expect(fitStart).toBeLessThanOrEqual(end);
          expect(splitsPair(text, fitStart)).toBe(false);
          expect(referenceTokenCount(text.slice(fitStart, end), tokenizer)).toBeLessThanOrEqual(budget);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('stays exact where pre-tokenizer pieces meet: whitespace runs, digits, contractions, case (property)', () => {
    const parts = [
      ' ',
      '  ',
      '\t',
      '\n',
      '\r\n',
      '\u00a0',
      '\u3000',
      'a',
      'ab',
      'Hello',
      'WORLD',
      'camelCase',
      '1',
      '1234',
      '.',
      '!!',
      "'s",
      "'ll",
      "'",
      '😀',
      '中文',
      '/',
    ];
    const text = fc
      .array(fc.constantFrom(...parts), { minLength: 1, maxLength: 60 })
      .map((items) => items.join(''));
    fc.assert(
      fc.property(text, fc.nat(), fc.nat(), fc.constantFrom(...tokenizers), (value, a, b, tokenizer) => {
        const start = Math.min(a, b) % (value.length + 1);
        const end = Math.max(start, Math.max(a, b) % (value.length + 1));
        fc.pre(!splitsPair(value, start) && !splitsPair(value, end));
        const sizer = createSizer(value, { sizeUnit: 'tokens', tokenizer });
        expect(sizer.tokenCount(start, end)).toBe(referenceTokenCount(value.slice(start, end), tokenizer));
      }),
      { numRuns: 400 },
    );
  });

  it('counts every short ASCII text alike, whatever it shared a cache with before', () => {
    // Pieces of up to four ASCII characters are cached by a number made of their characters: NUL
    // and DEL sit at the ends of the 7-bit range, so a collision between lengths would show here.
    const alphabet = ['\0', '\x7f', 'a', 'B', ' ', '\n', ',', "'"];
    let texts = [''];
    for (let length = 1; length <= 4; length++) {
      texts = texts.flatMap((text) => alphabet.map((character) => text + character));
      for (const tokenizer of tokenizers) {
        for (const text of texts) {
          const sizer = createSizer(text, { sizeUnit: 'tokens', tokenizer });
          expect(sizer.tokenCount(0, text.length)).toBe(referenceTokenCount(text, tokenizer));
        }
      }
    }
  });

  it('treats special-token strings as text', () => {
    const text = 'before <|endoftext|> after';
    for (const tokenizer of tokenizers) {
      const sizer = createSizer(text, { sizeUnit: 'tokens', tokenizer });
      expect(sizer).toBeInstanceOf(TokenSizer);
      expect(sizer.tokenCount(0, text.length)).toBe(referenceTokenCount(text, tokenizer));
      expect(sizer.tokenCount(0, text.length)).toBeGreaterThan(5);
    }
  });
});

describe('CharSizer', () => {
  it('measures code units and keeps surrogate pairs whole', () => {
    const text = 'ab😀cd';
    const sizer = new CharSizer(text, 'cl100k_base');
    expect(sizer.measure(0, 6)).toBe(6);
    expect(sizer.fitEnd(0, 6, 3)).toBe(2);
    expect(sizer.fitEnd(0, 6, 4)).toBe(4);
    expect(sizer.fitStart(6, 0, 3)).toBe(4);
    expect(sizer.tokenCount(0, 6)).toBe(referenceTokenCount(text, 'cl100k_base'));
  });
});
