import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import cl100k from 'gpt-tokenizer/encoding/cl100k_base';
import o200k from 'gpt-tokenizer/encoding/o200k_base';
import { CL100K_TOKEN_SPLIT_REGEX, O200K_TOKEN_SPLIT_REGEX } from 'gpt-tokenizer/encodingParams/constants';
import { describe, expect, it } from 'vitest';
import { getEncoding } from '../src/sizing/encodings.ts';
import { cl100kPieceEnd, NOT_ASCII, o200kPieceEnd } from '../src/sizing/piece-scanner.ts';

const encodings = [
  { name: 'cl100k_base', scan: cl100kPieceEnd, pattern: CL100K_TOKEN_SPLIT_REGEX, library: cl100k },
  { name: 'o200k_base', scan: o200kPieceEnd, pattern: O200K_TOKEN_SPLIT_REGEX, library: o200k },
] as const;

/** Special-token strings are text to the engine, so the reference allows none. */
const plainText = { disallowedSpecial: new Set<string>(), allowedSpecial: new Set<string>() };

/**
 * Characters every branch of the patterns turns on: cased ASCII letters (contraction letters
 * among them), digits, apostrophes, slashes, punctuation, every ASCII space and line break, control
 * characters, and beyond ASCII letters, a combining mark, a modifier and a title-case letter, other
 * scripts' digits, Unicode spaces, emoji and a lone surrogate; and a special token's text.
 */
const unit = fc.constantFrom(
  ...['a', 'b', 'z', 'A', 'Q', 'Z', 's', 'S', 'd', 'm', 't', 'l', 'L', 'v', 'e', 'E', 'r', 'R'],
  ...["'", "'", '0', '5', '9', '/', '(', '.', '-', '_', '<', '|', '>', '\u0000', '\u007f', '<|endoftext|>'],
  ...[' ', ' ', ' ', '\t', '\n', '\r', '\r\n', '\u000b', '\u000c'],
  ...['é', 'Ж', 'ж', '中', 'e\u0301', 'ʰ', 'ǅ', '٣', '²', '\u00a0', '\u2003', '\u3000', '😀', '\ud800'],
);
const mixedText = fc.array(unit, { maxLength: 40 }).map((units) => units.join(''));
const asciiText = fc.string({
  unit: fc.integer({ min: 0, max: 0x7f }).map((code) => String.fromCharCode(code)),
});

/** Each piece's [start, end) as the sticky regex finds them. */
function regexPieces(text: string, pattern: RegExp): [number, number][] {
  const sticky = new RegExp(pattern.source, 'uy');
  const pieces: [number, number][] = [];
  while (sticky.lastIndex < text.length && sticky.test(text)) {
    pieces.push([pieces.at(-1)?.[1] ?? 0, sticky.lastIndex]);
  }
  return pieces;
}

/** The package's own sources and the repository's docs: real Markdown and TypeScript. */
function realTexts(): string[] {
  const root = join(import.meta.dirname, '..');
  const sources = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .sort()
    .map((file) => join(root, 'src', file));
  const docs = join(root, '../../docs');
  const markdown = readdirSync(docs)
    .filter((file) => file.endsWith('.md'))
    .sort()
    .map((file) => join(docs, file));
  return [...sources, ...markdown].map((file) => readFileSync(file, 'utf8'));
}

describe.each(encodings)('$name pre-tokenizer scanner', ({ name, scan, pattern, library }) => {
  it('ends every piece where the regex does, or leaves it to the regex (property)', () => {
    fc.assert(
      fc.property(mixedText, (text) => {
        for (const [start, end] of regexPieces(text, pattern)) {
          const scanned = scan(text, start, text.length);
          if (scanned !== NOT_ASCII) expect(scanned, JSON.stringify(text.slice(start, end))).toBe(end);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('answers for every piece of ASCII text (property)', () => {
    fc.assert(
      fc.property(asciiText, (text) => {
        for (const [start, end] of regexPieces(text, pattern))
          expect(scan(text, start, text.length)).toBe(end);
      }),
      { numRuns: 2000 },
    );
  });

  it("counts tokens like the library's encode (property)", () => {
    const encoding = getEncoding(name);
    fc.assert(
      fc.property(fc.oneof(mixedText, asciiText), (text) => {
        expect(encoding.count(text)).toBe(library.encode(text, plainText).length);
      }),
      { numRuns: 2000 },
    );
  });

  it("counts real text, whole and in overlapping windows, like the library's encode", () => {
    const encoding = getEncoding(name);
    for (const text of realTexts()) {
      expect(encoding.count(text)).toBe(library.encode(text, plainText).length);
      for (let start = 0; start < text.length; start += 997) {
        const window = text.slice(start, start + 400);
        expect(encoding.count(window)).toBe(library.encode(window, plainText).length);
      }
    }
  });
});
