import { InvalidConfigError } from '@chunkflow/errors';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSizer } from '../src/sizing/index.ts';
import { codeStrategy } from '../src/strategies/code.ts';
import { initCodeParsers } from '../src/strategies/code-parsers.ts';
import type { Span } from '../src/strategy.ts';
import { codeSamples } from './fixtures/code-samples.ts';

type Unit = 'chars' | 'tokens';
const split = (
  text: string,
  chunkSize: number,
  chunkOverlap = 0,
  language?: string,
  sizeUnit: Unit = 'chars',
) =>
  codeStrategy.split({
    text,
    config: {
      strategy: 'code' as const,
      chunkSize,
      chunkOverlap,
      sizeUnit,
      tokenizer: 'cl100k_base' as const,
      ...(language === undefined ? {} : { language }),
    },
    sizer: createSizer(text, { sizeUnit, tokenizer: 'cl100k_base' }),
  });
const contents = (text: string, spans: Span[]) => spans.map((s) => text.slice(s.start, s.end));
const startsALine = (text: string, position: number) => /(^|\n)[ \t]*$/.test(text.slice(0, position));

/** One function or impl per sample, each under 300 characters, so it must come out whole. */
const wholeUnits: Record<keyof typeof codeSamples, string> = {
  typescript: `export function keyOf(request: Request): string {\n  return \`\${request.ip}:\${request.route}\`;\n}`,
  javascript:
    "function resolveEntry(root, name) {\n  const candidate = path.join(root, name);\n  console.log('resolving', candidate);\n  return candidate;\n}",
  python:
    'def load_points(path):\n    points = []\n    with open(path) as handle:\n        for line in handle:\n            x, y = line.split(",")\n            points.append(Point(float(x), float(y)))\n    return points',
  go: 'func load(path string) (*Config, error) {\n\tdata, err := os.ReadFile(path)\n\tif err != nil {\n\t\treturn nil, err\n\t}\n\treturn &Config{Name: string(data), Port: 8080}, nil\n}',
  rust: 'impl fmt::Display for Inventory {\n    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {\n        write!(f, "{} items", self.items.len())\n    }\n}',
  java: 'public void place(String order) {\n        if (order == null || order.isBlank()) {\n            throw new IllegalArgumentException("empty order");\n        }\n        orders.add(order);\n    }',
};

describe('code strategy with tree-sitter parsers loaded', () => {
  beforeAll(() => initCodeParsers());

  it.each(Object.entries(codeSamples))('splits %s on syntax boundaries', (language, source) => {
    const spans = split(source, 200);
    expect(spans.length).toBeGreaterThan(1);
    for (const span of spans) {
      expect(span.metadata).toEqual({ language, splitter: 'tree-sitter' });
      expect(span.end - span.start).toBeLessThanOrEqual(200);
      expect(startsALine(source, span.start)).toBe(true);
    }
    // Nothing but whitespace is left out.
    expect(contents(source, spans).join('').replace(/\s/g, '')).toBe(source.replace(/\s/g, ''));
  });

  it.each(Object.entries(codeSamples))('keeps a %s function that fits in one chunk', (language, source) => {
    const unit = wholeUnits[language as keyof typeof codeSamples];
    expect(source).toContain(unit);
    expect(unit.length).toBeLessThanOrEqual(300);
    expect(contents(source, split(source, 300)).some((chunk) => chunk.includes(unit))).toBe(true);
  });

  it('keeps a class header with its first member instead of cutting before the brace', () => {
    const chunks = contents(codeSamples.typescript, split(codeSamples.typescript, 200));
    expect(
      chunks.some((chunk) => /export class TokenBucket \{\n {2}private tokens: number;/.test(chunk)),
    ).toBe(true);
    expect(chunks.every((chunk) => !chunk.startsWith('{'))).toBe(true);
  });

  it('cuts an oversize function between statements, then a long string at lines', () => {
    const body = Array.from({ length: 40 }, (_, i) => `    total += values[${i}] * ${i}`).join('\n');
    const docstring = `    """${Array.from({ length: 30 }, (_, i) => `line ${i} of a long docstring`).join('\n    ')}"""`;
    const source = `def weighted(values):\n${docstring}\n    total = 0\n${body}\n    return total\n`;
    const spans = split(source, 150);
    for (const span of spans) {
      expect(span.end - span.start).toBeLessThanOrEqual(150);
      expect(startsALine(source, span.start)).toBe(true);
    }
    expect(contents(source, spans).join('').replace(/\s/g, '')).toBe(source.replace(/\s/g, ''));
  });

  it('cuts a single line longer than the size without splitting a surrogate pair', () => {
    const source = `const banner = "${'🚀'.repeat(200)}";\n`;
    const spans = split(source, 61, 0, 'javascript');
    expect(spans.length).toBeGreaterThan(6);
    for (const span of spans) {
      expect(span.end - span.start).toBeLessThanOrEqual(61);
      expect(source.charCodeAt(span.end - 1)).not.toSatisfy((c: number) => c >= 0xd800 && c <= 0xdbff);
    }
  });

  it('overlaps by whole trailing pieces within chunkOverlap', () => {
    const source = Array.from({ length: 30 }, (_, i) => `func f${i}() int {\n\treturn ${i}\n}\n`).join('\n');
    const spans = split(source, 120, 60, 'go');
    const pieceStarts = new Set(spans.map((s) => s.start));
    let overlapped = 0;
    for (let i = 1; i < spans.length; i++) {
      const shared = (spans[i - 1] as Span).end - (spans[i] as Span).start;
      expect(shared).toBeLessThanOrEqual(60);
      if (shared > 0) overlapped++;
      expect(source.slice((spans[i] as Span).start)).toMatch(/^func f\d+/);
    }
    expect(overlapped).toBeGreaterThan(spans.length / 2);
    expect(pieceStarts.size).toBe(spans.length);
  });

  it('sizes in tokens when asked, within the token budget', () => {
    const source = Object.values(codeSamples).join('\n');
    const sizer = createSizer(source, { sizeUnit: 'tokens', tokenizer: 'cl100k_base' });
    const spans = split(source, 48, 8, 'python', 'tokens');
    expect(spans.length).toBeGreaterThan(10);
    for (const span of spans) expect(sizer.tokenCount(span.start, span.end)).toBeLessThanOrEqual(48);
  });

  it('resolves language aliases and rejects unsupported languages by field', () => {
    expect(split(codeSamples.go, 200, 0, 'golang')[0]?.metadata).toMatchObject({ language: 'go' });
    expect(split(codeSamples.typescript, 200, 0, 'TS')[0]?.metadata).toMatchObject({
      language: 'typescript',
    });
    const attempt = () => split(codeSamples.go, 200, 0, 'cobol');
    expect(attempt).toThrow(InvalidConfigError);
    expect(attempt).toThrow(/Unsupported language "cobol"/);
  });

  it('marks text in no known language as unknown and splits it by blank lines and lines', () => {
    const text = 'alpha beta gamma\n\ndelta epsilon\nzeta eta theta iota\n\nkappa';
    const spans = split(text, 20);
    expect(
      spans.every((s) => s.metadata?.language === 'unknown' && s.metadata.splitter === 'separators'),
    ).toBe(true);
    expect(contents(text, spans)).toEqual([
      'alpha beta gamma',
      'delta epsilon',
      'zeta eta theta iota',
      'kappa',
    ]);
  });

  it('is deterministic and returns nothing for empty or blank input', () => {
    const source = codeSamples.rust;
    expect(split(source, 100, 20)).toEqual(split(source, 100, 20));
    expect(split('', 100, 0, 'rust')).toEqual([]);
    expect(split(' \n\n\t', 100, 0, 'rust')).toEqual([]);
  });
});
