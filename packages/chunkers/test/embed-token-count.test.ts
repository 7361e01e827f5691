import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Chunk, type TokenizerName, withEmbedText } from '../src/index.ts';
import { joinsAtLineBreak } from '../src/sizing/line-join.ts';
import { referenceTokenCount } from './support/invariants.ts';

const tokenizers: TokenizerName[] = ['cl100k_base', 'o200k_base'];

/** What can sit on either side of a header's last line break and tempt a piece across it. */
const fragments = [
  'word',
  'Title',
  ' ',
  '  ',
  '\t',
  '\n',
  '\n\n',
  '\r\n',
  '\r',
  '\u3000',
  '\u00a0',
  '/',
  '//',
  '/path/to',
  ':',
  '.',
  '-',
  '>',
  ' > ',
  '123',
  '4567',
  "'s",
  "'re",
  "don't",
  "'",
  '漢字',
  'かな',
  '😀',
  '👩‍💻',
  'e\u0301',
  '| a | b |\n|---|---|\n',
  '|:--|--:|',
  '<|endoftext|>',
];

const textArbitrary = fc
  .array(fc.constantFrom(...fragments), { maxLength: 8 })
  .map((parts) => parts.join(''));

/** Heads ending the ways embed headers do (and some they do not), so the rule is tried both ways. */
const headArbitrary = fc
  .tuple(textArbitrary, fc.constantFrom('\n', '\n\n', ':\n', '|\n', ' \n', '\r\n', '/\n', '\n\n\n', ''))
  .map(([body, end]) => body + end);

function chunkOf(content: string, tokenizer: TokenizerName): Chunk {
  return {
    index: 0,
    content,
    startOffset: 0,
    endOffset: content.length,
    charCount: content.length,
    tokenCount: referenceTokenCount(content, tokenizer),
    metadata: {},
  };
}

describe('embedText token counts', () => {
  it('adds up across a join the rule accepts', () => {
    fc.assert(
      fc.property(headArbitrary, textArbitrary, fc.constantFrom(...tokenizers), (head, tail, tokenizer) => {
        if (!joinsAtLineBreak(head, tail, tokenizer)) return;
        expect(referenceTokenCount(head + tail, tokenizer)).toBe(
          referenceTokenCount(head, tokenizer) + referenceTokenCount(tail, tokenizer),
        );
      }),
      { numRuns: 3_000 },
    );
  });

  it('refuses the joins where tokens merge across the line break', () => {
    const merging: [string, string, TokenizerName][] = [
      ['a\n', '\nb', 'cl100k_base'],
      ['a:\n', '\n', 'o200k_base'],
      ['| a |\n|---|\n', '/x', 'o200k_base'],
    ];
    for (const [head, tail, tokenizer] of merging) {
      expect(referenceTokenCount(head + tail, tokenizer)).not.toBe(
        referenceTokenCount(head, tokenizer) + referenceTokenCount(tail, tokenizer),
      );
      expect(joinsAtLineBreak(head, tail, tokenizer)).toBe(false);
    }
    expect(joinsAtLineBreak('a\n', 'b', 'hf:mini-bert')).toBe(false);
  });

  it('gives every chunk the exact count of its embedText, shared headers counted once', () => {
    fc.assert(
      fc.property(
        fc.option(textArbitrary, { nil: undefined }),
        fc.array(fc.tuple(fc.array(textArbitrary, { maxLength: 3 }), textArbitrary), { maxLength: 6 }),
        fc.constantFrom(...tokenizers),
        (title, parts, tokenizer) => {
          const chunks = parts.map(([headings, content], index) => ({
            ...chunkOf(content, tokenizer),
            index,
            metadata: { headings },
          }));
          for (const item of withEmbedText('', chunks, { tokenizer }, { title })) {
            expect(item.embedTokenCount).toBe(referenceTokenCount(item.embedText, tokenizer));
          }
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('counts a split table header joined to its rows exactly', () => {
    const table = [
      '| name | path |',
      '|------|------|',
      ...Array.from({ length: 40 }, (_, i) => `| n${i} | /p/${i} |`),
    ];
    const text = `${table.join('\n')}\n`;
    for (const tokenizer of tokenizers) {
      const rowStart = text.indexOf('| n20');
      const slashStart = text.indexOf('/p/30');
      const chunks = [rowStart, slashStart].map((start, index) => ({
        ...chunkOf(text.slice(start, start + 30), tokenizer),
        index,
        startOffset: start,
        endOffset: start + 30,
      }));
      const embedded = withEmbedText(text, chunks, { tokenizer }, { title: 'Paths' });
      for (const item of embedded) {
        expect(item.embedText.startsWith('Paths\n\n| name | path |\n|------|------|\n')).toBe(true);
        expect(item.embedTokenCount).toBe(referenceTokenCount(item.embedText, tokenizer));
      }
    }
  });
});
