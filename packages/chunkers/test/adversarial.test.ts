/**
 * Hostile lines against the content analysis and the strategies that run it: every keyword the
 * detectors look for, followed by a long run of blanks, tabs or punctuation and an ending that
 * makes the line fail late (unclosed fences and brackets, a stray `\r`). The old patterns
 * backtracked cubically on such lines (a 6 KB line took 26 s), so a regression shows as a test
 * exceeding vitest's timeout; lines here are 20,000 characters.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeContent, type Chunk, chunk, recommend, strategyNames } from '../src/index.ts';

const LINE_CHARS = 20_000;

/** What the language, markdown and structured-data detectors key on. */
const keywords = [
  ...['def f(', 'async def', 'class A', 'class A(', 'from a', 'import a', 'elif', 'except', '@a', 'self.'],
  ...['package a', 'func', 'func (', 'import (', 'type A', 'if err', 'fmt.', 'a :='],
  ...[
    'fn',
    'pub fn',
    'pub(crate)',
    'async fn',
    'let mut',
    'use a',
    'impl',
    'impl<T>',
    'impl A for',
    '#[',
    'a!(',
  ],
  ...[
    'struct',
    'enum',
    'trait',
    'mod',
    '&mut',
    'public',
    'private',
    'protected',
    'public static',
    'abstract',
  ],
  ...[
    'final',
    'interface',
    'record',
    'package a.b;',
    'import java.',
    'import static',
    'System.out',
    '@Override',
  ],
  ...[
    'export',
    'export default',
    'function',
    'function*',
    'async function',
    'const',
    'let',
    'var',
    'require(',
  ],
  ...[
    '=>',
    '===',
    'module.exports',
    'console.',
    'import type',
    'as const',
    'readonly',
    'a?:',
    '):',
    ') :',
    '</A',
    '/>',
  ],
  ...[
    '#',
    '##',
    '######',
    '#######',
    '```',
    '~~~',
    '|',
    '|---',
    '| :-- |',
    '---',
    '===',
    '- ',
    '* ',
    '1.',
    '1)',
    '>',
  ],
  ...[
    '[',
    '![',
    '[a](',
    '[a]:',
    '**',
    '`',
    'key:',
    '"key":',
    '- key:',
    '2024-01-01',
    '[INFO]',
    '127.0.0.1 - ',
    '{',
    '[',
  ],
];
const fillers = [' ', '\t', ' \t', ',', ':', '<', '(', '[', '-', '#', '|', '=', '*', '.', '"', "'"];
const endings = ['', '\rX', 'x', '(', '{', '[', '<', '"', '`', ' #', ':', ';', '\n```'];

function hostileLine(keyword: string, filler: string, ending: string): string {
  return keyword + filler.repeat(Math.ceil(LINE_CHARS / filler.length)).slice(0, LINE_CHARS) + ending;
}

function expectSaneChunks(text: string, chunks: Chunk[], chunkSize: number): void {
  for (const piece of chunks) {
    expect(piece.content).toBe(text.slice(piece.startOffset, piece.endOffset));
    expect(piece.charCount).toBeLessThanOrEqual(chunkSize);
  }
  if (text.trim() !== '') expect(chunks.length).toBeGreaterThan(0);
}

function runEverything(text: string): void {
  const recommendation = recommend({ content: text });
  expect(strategyNames).toContain(recommendation.strategy);
  expect(analyzeContent(text).confidence).toBeGreaterThan(0);
  for (const strategy of ['markdown', 'code', 'hybrid'] as const) {
    expectSaneChunks(text, chunk(text, { strategy, chunkSize: 1000, chunkOverlap: 100 }), 1000);
  }
}

describe('hostile lines (ReDoS regression)', () => {
  it.each(keywords)('analyses and chunks %j followed by 20,000 blanks, tabs or punctuation', (keyword) => {
    for (const filler of fillers) runEverything(hostileLine(keyword, filler, '\rX'));
  });

  it('keeps to linear time on random combinations of keyword, run, ending and line count (property)', () => {
    const lines = fc
      .tuple(fc.constantFrom(...keywords), fc.constantFrom(...fillers), fc.constantFrom(...endings))
      .map(([keyword, filler, ending]) => hostileLine(keyword, filler, ending));
    fc.assert(
      fc.property(fc.array(lines, { minLength: 1, maxLength: 3 }), fc.boolean(), (picked, unclosedFence) => {
        const text = (unclosedFence ? '```\n' : '') + picked.join('\n');
        runEverything(text);
      }),
      { numRuns: 40 },
    );
  });

  it('sizes hostile markdown and code in tokens too', () => {
    for (const filler of [' ', '\t', '-', '|']) {
      const text = hostileLine('#', filler, '\rX');
      for (const strategy of ['markdown', 'code'] as const) {
        const chunks = chunk(text, { strategy, sizeUnit: 'tokens', chunkSize: 256, chunkOverlap: 32 });
        for (const piece of chunks) expect(piece.tokenCount).toBeLessThanOrEqual(256);
        expect(chunks.length).toBeGreaterThan(0);
      }
    }
  });
});
