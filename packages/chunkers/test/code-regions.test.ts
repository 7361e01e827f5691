import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bodyIndent, codeRegions, indentedUnits, isOneLine } from '../src/strategies/code-regions.ts';
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

describe('indentedUnits', () => {
  const text = 'function a() {\n  x();\n\n  y();\n}\n\n}\n\nclass B {}\n';
  const whole = { start: 0, end: text.length, code: true };

  it('starts a unit at each line of the indentation after a blank line, never at a closing bracket', () => {
    expect(indentedUnits(text, whole, 0).map((u) => text.slice(u.start, u.end))).toEqual([
      'function a() {\n  x();\n\n  y();\n}\n\n}\n\n',
      'class B {}\n',
    ]);
  });

  it("finds a unit's body indentation and cuts the body into its statements", () => {
    const [first] = indentedUnits(text, whole, 0);
    if (first === undefined) throw new Error('no unit');
    expect(bodyIndent(text, first, 0)).toBe(2);
    expect(indentedUnits(text, first, 2).map((u) => text.slice(u.start, u.end))).toEqual([
      'function a() {\n  x();\n\n',
      '  y();\n}\n\n}\n\n',
    ]);
    expect(bodyIndent(text, { start: 0, end: 11, code: true }, 0)).toBe(-1);
  });

  it('cuts between statements of one level, but not after a line that opens a block or goes on', () => {
    const body = 'class C {\n  a = 1;\n  b = [\n    2,\n  ];\n  c = f(\n  x);\n  d() {}\n}\n';
    const unit = { start: 0, end: body.length, code: true };
    expect(indentedUnits(body, unit, 2).map((u) => body.slice(u.start, u.end))).toEqual([
      'class C {\n  a = 1;\n',
      '  b = [\n    2,\n  ];\n',
      '  c = f(\n  x);\n',
      '  d() {}\n}\n',
    ]);
  });

  it('looks past a doc comment and a type parameter list for the body', () => {
    const source =
      '/**\n * A server.\n */\nexport interface Server<\n  Raw = Default,\n> {\n  a: number;\n  b(): void;\n}\n';
    const unit = { start: 0, end: source.length, code: true };
    expect(bodyIndent(source, unit, 0)).toBe(2);
    expect(indentedUnits(source, unit, 2).map((u) => source.slice(u.start, u.end))).toEqual([
      '/**\n * A server.\n */\nexport interface Server<\n  Raw = Default,\n> {\n  a: number;\n',
      '  b(): void;\n}\n',
    ]);
  });

  it('cuts a unit that begins inside a block at the statements after that block', () => {
    const source = '      if (a) {\n        x();\n      }\n    }\n    return y;\n  }\n';
    const unit = { start: 0, end: source.length, code: true };
    expect(bodyIndent(source, unit, 0)).toBe(4);
    expect(indentedUnits(source, unit, 4).map((u) => source.slice(u.start, u.end))).toEqual([
      '      if (a) {\n        x();\n      }\n    }\n',
      '    return y;\n  }\n',
    ]);
    expect(bodyIndent(source, unit, 4)).toBe(-1);
  });

  it('starts a unit at a comment that follows the end of a deeper construct', () => {
    const source = 'type A =\n  B |\n  C\n/** D. */\ninterface D {}\n';
    const whole = { start: 0, end: source.length, code: true };
    expect(indentedUnits(source, whole, 0).map((u) => source.slice(u.start, u.end))).toEqual([
      'type A =\n  B |\n  C\n',
      '/** D. */\ninterface D {}\n',
    ]);
    const call = 'f(\n// why\n  x)\n';
    expect(indentedUnits(call, { start: 0, end: call.length, code: true }, 0)).toHaveLength(1);
  });

  it('cuts between the items of a list at one level, after the comma that ends each', () => {
    const source = 'defineProperties(proto, {\n  a: {\n    get() {}\n  },\n  b: {\n    get() {}\n  },\n})\n';
    const unit = { start: 0, end: source.length, code: true };
    expect(indentedUnits(source, unit, 2).map((u) => source.slice(u.start, u.end))).toEqual([
      'defineProperties(proto, {\n  a: {\n    get() {}\n  },\n',
      '  b: {\n    get() {}\n  },\n})\n',
    ]);
  });

  it('tells a unit of one line, trailing blank lines aside', () => {
    expect(isOneLine('const a = 1;\n\n  \n', { start: 0, end: 17, code: true })).toBe(true);
    expect(isOneLine('const a = 1;\nb();\n', { start: 0, end: 18, code: true })).toBe(false);
  });
});
