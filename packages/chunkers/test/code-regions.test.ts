import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeRegions, topLevelUnits } from '../src/strategies/code-regions.ts';
import { codeSamples } from './fixtures/code-samples.ts';
import { documentArbitrary } from './support/invariants.ts';

const prose =
  'Chunking cuts a document into pieces that each fit the model, and the cuts should fall\n' +
  'between ideas rather than inside them, which is why the strategies look for structure.\n';

describe('codeRegions', () => {
  it('tiles the text with alternating regions, whatever the text (property)', () => {
    fc.assert(
      fc.property(documentArbitrary, (text) => {
        const regions = codeRegions(text);
        expect(regions[0]?.start ?? 0).toBe(0);
        expect(regions.at(-1)?.end ?? 0).toBe(text.length);
        regions.forEach((region, i) => {
          expect(region.end).toBeGreaterThan(region.start);
          const next = regions[i + 1];
          if (next) {
            expect(next.start).toBe(region.end);
            expect(next.code).not.toBe(region.code);
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it('keeps running text out of code and every sample file in one code region', () => {
    expect(codeRegions(`${prose}\n${prose}`)).toEqual([{ start: 0, end: prose.length * 2 + 1, code: false }]);
    for (const source of Object.values(codeSamples)) {
      expect(codeRegions(source)).toEqual([{ start: 0, end: source.length, code: true }]);
    }
  });

  it('parses only the inside of a Markdown fence, and keeps comments with their code', () => {
    const code = 'const total = items.reduce((sum, item) => sum + item.price, 0);\n';
    const text = `${prose}\n\`\`\`js\n${code}\`\`\`\n\n${prose}`;
    const regions = codeRegions(text);
    expect(regions.filter((r) => r.code).map((r) => text.slice(r.start, r.end))).toEqual([code]);

    const commented = `function a() {\n  return 1;\n}\n\n/**\n * Adds one.\n */\n\nfunction b(x) {\n  return x + 1;\n}\n`;
    expect(codeRegions(commented)).toEqual([{ start: 0, end: commented.length, code: true }]);
  });

  it('reads a line of Markdown links as prose, not as calls', () => {
    const links = '[![CI][ci-badge]][ci-url] [docs](https://example.com/docs) [blog](https://example.com)\n';
    expect(codeRegions(links)).toEqual([{ start: 0, end: links.length, code: false }]);
  });
});

describe('topLevelUnits', () => {
  it('starts a unit at each column-0 line after a blank line, never at a closing bracket', () => {
    const text = 'function a() {\n  x();\n\n  y();\n}\n\n}\n\nclass B {}\n';
    const units = topLevelUnits(text, { start: 0, end: text.length, code: true });
    expect(units.map((u) => text.slice(u.start, u.end))).toEqual([
      'function a() {\n  x();\n\n  y();\n}\n\n}\n\n',
      'class B {}\n',
    ]);
  });
});
